CREATE TABLE embedded_b (id INTEGER PRIMARY KEY);
INSERT INTO embedded_a (id, name) VALUES (1, 'seed');

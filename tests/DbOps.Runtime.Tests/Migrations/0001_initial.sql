-- embedded test migration
CREATE TABLE embedded_a (id INTEGER PRIMARY KEY, name TEXT NOT NULL);

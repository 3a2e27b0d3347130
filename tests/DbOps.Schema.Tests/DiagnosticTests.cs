using static DbOps.Schema.Tests.TestUtil;

namespace DbOps.Schema.Tests;

/// <summary>One test (or more) per bad-input class: exact code, line and column.</summary>
public class DiagnosticTests
{
    [Fact]
    public void SpecMessageIsVerbatim()
    {
        var r = Load("""
            dbops: 1
            entities:
              Customer:
                columns:
                  Id: { type: int64, primaryKey: true }
              Order:
                columns:
                  Id: { type: guid, primaryKey: true }
                  CustomerId: { type: int64, references: Custmer }
            """);
        var d = ExpectOnly(r, "DBOPS1003", 9, 46);
        Assert.Equal("dbops.yaml(9,46): error DBOPS1003: Column 'Order.CustomerId' references unknown entity 'Custmer'. Did you mean 'Customer'?",
            d.ToCanonicalString());
    }

    [Fact]
    public void Dbops1001_EmptyFile()
    {
        ExpectOnly(Load(""), "DBOPS1001", 1, 1);
        ExpectOnly(Load("# only a comment\n\n"), "DBOPS1001", 1, 1);
    }

    [Fact]
    public void Dbops1001_MissingVersion()
    {
        var r = Load("""
            name: X
            entities:
              A:
                columns:
                  Id: { type: int32, primaryKey: true }
            """);
        ExpectOnly(r, "DBOPS1001", 1, 1);
    }

    [Fact]
    public void Dbops1001_WrongVersion()
    {
        var r = Load("""
            dbops: 2
            entities: {}
            """);
        ExpectOnly(r, "DBOPS1001", 1, 8);
    }

    [Fact]
    public void Dbops1002_TabIndentation()
    {
        var r = Load("dbops: 1\nentities:\n\tA:\n    columns: {}\n");
        var d = ExpectOnly(r, "DBOPS1002", 3, 1);
        Assert.Contains("tab", d.Message);
    }

    [Fact]
    public void Dbops1002_UnclosedBracket()
    {
        var r = Load("""
            dbops: 1
            enums:
              Color: [Red, Green
            entities: {}
            """);
        ExpectOnly(r, "DBOPS1002", 3, 10);
    }

    [Fact]
    public void Dbops1002_SeveralDocuments()
    {
        var r = Load("dbops: 1\n---\ndbops: 1\n");
        ExpectOnly(r, "DBOPS1002", 2, 1);
    }

    [Fact]
    public void Dbops1003_UnknownEntityWithoutSuggestion()
    {
        var r = Load("""
            dbops: 1
            entities:
              A:
                columns:
                  Id: { type: int32, primaryKey: true }
                  BId:
                    type: int32
                    references: Zebra
            """);
        var d = ExpectOnly(r, "DBOPS1003", 8, 21);
        Assert.EndsWith("references unknown entity 'Zebra'.", d.Message);
    }

    [Fact]
    public void Dbops1004_UnknownReferencedColumn()
    {
        var r = Load("""
            dbops: 1
            entities:
              A:
                columns:
                  Id: { type: int32, primaryKey: true }
              B:
                columns:
                  Id: { type: int32, primaryKey: true }
                  AId: { type: int32, references: A.Idd }
            """);
        var d = ExpectOnly(r, "DBOPS1004", 9, 39);
        Assert.Contains("Did you mean 'Id'?", d.Message);
    }

    [Fact]
    public void Dbops1005_UnknownKeyEverywhere()
    {
        var r = Load("""
            dbops: 1
            entitys: {}
            entities:
              A:
                tabel: a
                columns:
                  Id: { type: int32, primaryKey: true, primarykey: true, idenity: true }
                indexes:
                  - columns: [Id]
                    uniqe: true
            queries:
              Q:
                sql: SELECT 1
                return: int32
            """);
        AssertCount(r, 6);
        Assert.All(r.Diagnostics, d => Assert.Equal("DBOPS1005", d.Code));
        Assert.Contains("Did you mean 'entities'?", Expect(r, "DBOPS1005", 2, 1).Message);
        Assert.Contains("Did you mean 'table'?", Expect(r, "DBOPS1005", 5, 5).Message);
        Assert.Contains("Did you mean 'primaryKey'?", Expect(r, "DBOPS1005", 7, 44).Message);
        Assert.Contains("Did you mean 'identity'?", Expect(r, "DBOPS1005", 7, 62).Message);
        Assert.Contains("Did you mean 'unique'?", Expect(r, "DBOPS1005", 10, 9).Message);
        Assert.Contains("Did you mean 'returns'?", Expect(r, "DBOPS1005", 14, 5).Message);
    }

    [Fact]
    public void Dbops1006_DuplicateKey()
    {
        var r = Load("""
            dbops: 1
            entities:
              A:
                columns:
                  Id: { type: int32, primaryKey: true }
                  Name: string
                  Name: string(10)
            """);
        var d = ExpectOnly(r, "DBOPS1006", 7, 7);
        Assert.Contains("line 6", d.Message);
        ExpectOnly(Load("dbops: 1\nentities: {}\nentities: {}\n"), "DBOPS1006", 3, 1);
        ExpectOnly(Load("dbops: 1\nenums: { E: [A], F: [B], E: [C] }\n"), "DBOPS1006", 2, 26);
    }

    [Fact]
    public void Dbops1007_InvalidIdentifier()
    {
        var r = Load("""
            dbops: 1
            name: 9Lives
            entities:
              Order Line:
                columns:
                  Id: { type: int32, primaryKey: true }
                  Unit-Price: decimal(10,2)
            """);
        AssertCount(r, 3);
        Expect(r, "DBOPS1007", 2, 7);
        Expect(r, "DBOPS1007", 4, 3);
        Expect(r, "DBOPS1007", 7, 7);
    }

    [Fact]
    public void Dbops1007_InvalidPhysicalName()
    {
        var r = Load("""
            dbops: 1
            entities:
              A:
                table: "my table"
                columns:
                  Id: { type: int32, primaryKey: true, column: "x;drop" }
            """);
        AssertCount(r, 2);
        Expect(r, "DBOPS1007", 4, 12);
        Expect(r, "DBOPS1007", 6, 52);
    }

    [Fact]
    public void Dbops1008_Keyword()
    {
        var r = Load("""
            dbops: 1
            enums:
              class: [A]
            entities:
              A:
                columns:
                  Id: { type: int32, primaryKey: true }
                  int: int32
              var:
                columns:
                  Id: { type: int32, primaryKey: true }
            """);
        AssertCount(r, 3);
        Expect(r, "DBOPS1008", 3, 3);
        Expect(r, "DBOPS1008", 8, 7);
        Expect(r, "DBOPS1008", 9, 3);
    }

    [Fact]
    public void Dbops1009_TypeScopeCollision()
    {
        var r = Load("""
            dbops: 1
            enums:
              Status: [A]
            entities:
              STATUS:
                columns:
                  Id: { type: int32, primaryKey: true }
            """);
        var d = ExpectOnly(r, "DBOPS1009", 5, 3);
        Assert.Contains("'Status'", d.Message);
    }

    [Fact]
    public void Dbops1009_ColumnCollisions()
    {
        var r = Load("""
            dbops: 1
            entities:
              Item:
                columns:
                  Id: { type: int32, primaryKey: true }
                  name: string
                  Name: string
                  Item: string
                  Validate: bool
                  Code: { type: string, column: id }
            """);
        AssertCount(r, 4);
        Expect(r, "DBOPS1009", 7, 7);
        Expect(r, "DBOPS1009", 8, 7);
        Expect(r, "DBOPS1009", 9, 7);
        Expect(r, "DBOPS1009", 10, 37);
    }

    [Fact]
    public void Dbops1009_EnumMembersAndQueryParameters()
    {
        var r = Load("""
            dbops: 1
            enums:
              Color: [Red, RED]
            queries:
              Q:
                sql: SELECT @a, @A
                params: { a: int32, A: int32 }
            """);
        AssertCount(r, 2);
        Expect(r, "DBOPS1009", 3, 16);
        Expect(r, "DBOPS1009", 7, 25);
    }

    [Fact]
    public void Dbops1009_Plurals()
    {
        var r = Load("""
            dbops: 1
            entities:
              Person:
                columns:
                  Id: { type: int32, primaryKey: true }
              People:
                plural: People
                columns:
                  Id: { type: int32, primaryKey: true }
            """);
        ExpectOnly(r, "DBOPS1009", 7, 13);
    }

    [Fact]
    public void Dbops1010_UnknownType()
    {
        var r = Load("""
            dbops: 1
            entities:
              A:
                columns:
                  Id: { type: int32, primaryKey: true }
                  B: Int64
                  C: { type: strng(20) }
                  D: int32(4)
                  E: Colour
            """);
        AssertCount(r, 4);
        Assert.Contains("Did you mean 'int64'?", Expect(r, "DBOPS1010", 6, 10).Message);
        Assert.Contains("Did you mean 'string'?", Expect(r, "DBOPS1010", 7, 18).Message);
        Expect(r, "DBOPS1010", 8, 10);
        Expect(r, "DBOPS1010", 9, 10);
    }

    [Fact]
    public void Dbops1011_DecimalRange()
    {
        var r = Load("""
            dbops: 1
            entities:
              A:
                columns:
                  Id: { type: int32, primaryKey: true }
                  B: decimal(39,2)
                  C: decimal(5,6)
                  D: decimal(0,0)
                  E: { type: 'decimal(10,-1)' }
            """);
        AssertCount(r, 4);
        Expect(r, "DBOPS1011", 6, 10);
        Expect(r, "DBOPS1011", 7, 10);
        Expect(r, "DBOPS1011", 8, 10);
        Expect(r, "DBOPS1011", 9, 18);
    }

    [Fact]
    public void Dbops1012_Length()
    {
        var r = Load("""
            dbops: 1
            entities:
              A:
                columns:
                  Id: { type: int32, primaryKey: true }
                  B: string(0)
                  C: binary(-5)?
            """);
        AssertCount(r, 2);
        Expect(r, "DBOPS1012", 6, 10);
        Expect(r, "DBOPS1012", 7, 10);
    }

    [Fact]
    public void Dbops1013_NoPrimaryKey()
    {
        var r = Load("""
            dbops: 1
            entities:
              Log:
                columns:
                  Message: string
            """);
        ExpectOnly(r, "DBOPS1013", 3, 3);
    }

    [Fact]
    public void Dbops1014_TwoEntitiesOneTable()
    {
        var r = Load("""
            dbops: 1
            entities:
              OrderLine:
                columns:
                  Id: { type: int32, primaryKey: true }
              Line:
                table: ORDER_LINE
                columns:
                  Id: { type: int32, primaryKey: true }
            """);
        var d = ExpectOnly(r, "DBOPS1014", 7, 12);
        Assert.Contains("'OrderLine'", d.Message);
    }

    [Fact]
    public void Dbops1015_IdentityNotInteger()
    {
        var r = Load("""
            dbops: 1
            entities:
              A:
                columns:
                  Id: { type: guid, primaryKey: true, identity: true }
            """);
        ExpectOnly(r, "DBOPS1015", 5, 53);
    }

    [Fact]
    public void Dbops1016_ForeignKeyTypeMismatch()
    {
        var r = Load("""
            dbops: 1
            entities:
              A:
                columns:
                  Id: { type: int64, primaryKey: true }
              B:
                columns:
                  Id: { type: int64, primaryKey: true }
                  AId: { type: int32, references: A }
                  Code: { type: string(10), unique: true }
              C:
                columns:
                  Id: { type: int64, primaryKey: true }
                  BCode: { type: string(20), references: B.Code }
            """);
        AssertErrorCount(r, 2);
        Expect(r, "DBOPS1016", 9, 20);
        Expect(r, "DBOPS1016", 14, 22);
    }

    [Fact]
    public void Dbops1017_SetNullOnNonNullable()
    {
        var r = Load("""
            dbops: 1
            entities:
              A:
                columns:
                  Id: { type: int64, primaryKey: true }
                  ParentId: { type: int64, references: A, onDelete: setNull }
                indexes:
                  - columns: [ParentId]
            """);
        ExpectOnly(r, "DBOPS1017", 6, 57);
    }

    [Fact]
    public void Dbops1018_DefaultOfWrongType()
    {
        var r = Load("""
            dbops: 1
            entities:
              A:
                columns:
                  Id: { type: int64, primaryKey: true }
                  B: { type: bool, default: yes }
                  C: { type: int16, default: 70000 }
                  D: { type: 'decimal(5,2)', default: 1.234 }
                  E: { type: string(3), default: abcd }
                  F: { type: guid, default: nope }
                  G: { type: date, default: 2024-13-01 }
                  H: { type: int32, default: 5, min: 10 }
                  I: { type: json, default: '{oops' }
            """);
        AssertCount(r, 8);
        foreach (var line in new[] { 6, 7, 8, 9, 10, 11, 12, 13 })
            Assert.Equal("DBOPS1018", r.Diagnostics.Single(d => d.Location.Line == line).Code);
        Expect(r, "DBOPS1018", 6, 33);
        Expect(r, "DBOPS1018", 8, 43);
    }

    [Fact]
    public void Dbops1019_EnumDefaultNotMember()
    {
        var r = Load("""
            dbops: 1
            enums:
              OrderStatus: [Pending, Paid]
            entities:
              Order:
                columns:
                  Id: { type: int64, primaryKey: true }
                  Status: { type: OrderStatus, default: Pendng }
            """);
        var d = ExpectOnly(r, "DBOPS1019", 8, 45);
        Assert.Contains("Did you mean 'Pending'?", d.Message);
    }

    [Fact]
    public void Dbops1020_IndexOrKeyNamesUnknownColumn()
    {
        var r = Load("""
            dbops: 1
            entities:
              A:
                primaryKey: [Id, Kind]
                columns:
                  Id: int32
                  Name: string(10)
                indexes:
                  - columns: [Name, Nmae]
            """);
        AssertCount(r, 2);
        Expect(r, "DBOPS1020", 4, 22);
        Assert.Contains("Did you mean 'Name'?", Expect(r, "DBOPS1020", 9, 25).Message);
    }

    [Fact]
    public void Dbops1021_And1022_QueryTypes()
    {
        var r = Load("""
            dbops: 1
            queries:
              Q:
                sql: SELECT x FROM t WHERE y = @since
                params: { since: timestamp }
                returns: { X: integer }
              S:
                sql: SELECT 1
                returns: number?
            """);
        AssertCount(r, 3);
        Expect(r, "DBOPS1021", 5, 22);
        Expect(r, "DBOPS1022", 6, 19);
        Expect(r, "DBOPS1022", 9, 14);
    }

    [Fact]
    public void Dbops1023_CommaSplitInFlowMapping()
    {
        var r = Load("""
            dbops: 1
            entities:
              Order:
                columns:
                  Id: { type: int64, primaryKey: true }
                  Total: { type: decimal(12,2), min: 0 }
                  Tax: { type: decimal(12,2)? }
            """);
        AssertCount(r, 2);
        var d = Expect(r, "DBOPS1023", 6, 22);
        Assert.Contains("quote it ('decimal(12,2)') or use block form", d.Message);
        Expect(r, "DBOPS1023", 7, 20);

        // In a flow mapping of columns and of query parameters too.
        var r2 = Load("""
            dbops: 1
            entities:
              Order:
                columns: { Id: int64, Total: decimal(12,2) }
                primaryKey: Id
            queries:
              Q:
                sql: SELECT @amount
                params: { amount: decimal(12,2) }
            """);
        AssertCount(r2, 2);
        Expect(r2, "DBOPS1023", 4, 34);
        Expect(r2, "DBOPS1023", 9, 23);
    }

    [Fact]
    public void Dbops1024_FileTooLarge()
    {
        var big = "dbops: 1\n# " + new string('x', SchemaLoader.MaxFileBytes) + "\n";
        var r = Load(big);
        ExpectOnly(r, "DBOPS1024", 1, 1);
    }

    [Fact]
    public void Dbops1025_NestingTooDeep()
    {
        var deep = "dbops: 1\nentities: " + new string('[', 100_000) + new string(']', 100_000) + "\n";
        var r = Load(deep);
        ExpectOnly(r, "DBOPS1025", 2, 74);

        var block = new System.Text.StringBuilder("dbops: 1\n");
        for (var i = 0; i < 80; i++) block.Append(new string(' ', i * 2)).Append('k').Append(i).Append(":\n");
        ExpectOnly(Load(block.ToString()), "DBOPS1025", 66, 129);
    }

    [Fact]
    public void Dbops1025_AliasBomb()
    {
        var yaml = """
            dbops: 1
            a: &a [x, x, x, x, x, x, x, x, x, x]
            b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
            c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
            d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
            e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
            f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]
            g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]
            """;
        var r = Load(yaml);
        ExpectOnly(r, "DBOPS1025", 8, 8);
    }

    [Fact]
    public void Dbops1026_WrongNodeKind()
    {
        var r = Load("""
            dbops: 1
            entities:
              A: just text
              B:
                columns: [Id]
            queries: [Q]
            """);
        AssertCount(r, 3);
        Expect(r, "DBOPS1026", 3, 6);
        Expect(r, "DBOPS1026", 5, 14);
        Expect(r, "DBOPS1026", 6, 10);
    }

    [Fact]
    public void Dbops1027_InvalidEnum()
    {
        var r = Load("""
            dbops: 1
            enums:
              Empty: []
              Twice: [A, B, A]
            """);
        AssertCount(r, 2);
        Expect(r, "DBOPS1027", 3, 10);
        Expect(r, "DBOPS1027", 4, 17);
    }

    [Fact]
    public void Dbops1028_InvalidValue()
    {
        var r = Load("""
            dbops: 1
            provider: postgres
            naming: camelCase
            entities:
              A:
                columns:
                  Id: { type: int32, primaryKey: yes }
                  BId: { type: int32?, references: A, onDelete: cascde }
            """);
        AssertErrorCount(r, 4);
        Assert.Contains("Did you mean 'postgresql'?", Expect(r, "DBOPS1028", 2, 11).Message);
        Expect(r, "DBOPS1028", 3, 9);
        Expect(r, "DBOPS1028", 7, 38);
        Assert.Contains("Did you mean 'cascade'?", Expect(r, "DBOPS1028", 8, 53).Message);
    }

    [Fact]
    public void Dbops1030_InvalidRules()
    {
        var r = Load("""
            dbops: 1
            entities:
              A:
                columns:
                  Id: { type: int32, primaryKey: true }
                  B: { type: int32, min: 10, max: 5 }
                  C: { type: string(5), minLength: 6 }
                  D: { type: string, pattern: '([a-z' }
                  E: { type: bool, min: 1 }
                  F: { type: int32, minLength: 1 }
            """);
        AssertCount(r, 5);
        Expect(r, "DBOPS1030", 6, 39);
        Expect(r, "DBOPS1030", 7, 40);
        Expect(r, "DBOPS1030", 8, 35);
        Expect(r, "DBOPS1030", 9, 29);
        Expect(r, "DBOPS1030", 10, 36);
    }

    [Fact]
    public void Dbops1031_InvalidPrimaryKey()
    {
        var r = Load("""
            dbops: 1
            entities:
              A:
                primaryKey: [Id]
                columns:
                  Id: { type: int32, primaryKey: true }
              B:
                columns:
                  X: { type: int32, primaryKey: true }
                  Y: { type: int32, primaryKey: true }
              C:
                primaryKey: [X, Y]
                columns:
                  X: { type: int32, identity: true }
                  Y: int32?
            """);
        AssertCount(r, 4);
        Expect(r, "DBOPS1031", 4, 5);
        Expect(r, "DBOPS1031", 10, 37);
        Expect(r, "DBOPS1031", 14, 35);
        Expect(r, "DBOPS1031", 15, 7);
    }

    [Fact]
    public void Dbops1032_UndeclaredQueryParameter()
    {
        var r = Load("""
            dbops: 1
            queries:
              Q:
                sql: |
                  SELECT @@ROWCOUNT, '@notParam', "@col" -- @comment
                  FROM t WHERE a = @a AND b = @bb /* @c */
                params: { a: int32, b: int32 }
              Inline:
                sql: SELECT * FROM t WHERE x = @x
            """);
        AssertErrorCount(r, 2);
        Assert.Contains("Did you mean 'b'?", Expect(r, "DBOPS1032", 6, 35).Message);
        Expect(r, "DBOPS1032", 9, 36);
        Expect(r, "DBOPS1803", 7, 25); // b declared but never used
    }

    [Fact]
    public void Dbops1033_InvalidProviderOverride() =>
        Assert.Equal("DBOPS1033", Assert.Single(Load(Schemas.Minimal, provider: "oracle").Diagnostics).Code);

    [Fact]
    public void Dbops1034_MissingRequiredKey()
    {
        var r = Load("""
            dbops: 1
            entities:
              A:
                columns:
                  Id: { primaryKey: true }
                indexes:
                  - unique: true
              B:
                table: b
            queries:
              Q:
                returns: int32
            """);
        AssertCount(r, 4);
        Expect(r, "DBOPS1034", 5, 7);
        Expect(r, "DBOPS1034", 7, 9);
        Expect(r, "DBOPS1034", 8, 3);
        Expect(r, "DBOPS1034", 11, 3);
    }

    [Fact]
    public void Dbops1035_ConflictingKeys()
    {
        var r = Load("""
            dbops: 1
            entities:
              A:
                columns:
                  Id: { type: int32, primaryKey: true }
                  B: { type: string(5)?, nullable: false }
                  C: { type: int32, default: 1, defaultSql: "2" }
                  D: { type: int32, onDelete: cascade }
            """);
        AssertCount(r, 3);
        Expect(r, "DBOPS1035", 6, 40);
        Expect(r, "DBOPS1035", 7, 49);
        Expect(r, "DBOPS1035", 8, 35);
    }

    [Fact]
    public void Dbops1036_And1037_ReferenceTargets()
    {
        var r = Load("""
            dbops: 1
            entities:
              Pair:
                primaryKey: [A, B]
                columns:
                  A: int32
                  B: int32
                  Label: string(10)
              Ref:
                columns:
                  Id: { type: int32, primaryKey: true }
                  PairId: { type: int32, references: Pair }
                  Label: { type: string(10), references: Pair.Label }
            """);
        AssertErrorCount(r, 2);
        Expect(r, "DBOPS1036", 12, 42);
        Expect(r, "DBOPS1037", 13, 46);
    }

    [Fact]
    public void Dbops1038_TypeNamesThatWouldHideTypesOfTheGeneratedCode()
    {
        var r = Load("""
            dbops: 1
            name: DbOpsDb
            enums:
              Guid: [A, B]
            entities:
              Task:
                columns:
                  Id: { type: int64, primaryKey: true }
              TodoTask:
                columns:
                  Id: { type: int64, primaryKey: true }
                  Task: string(10)
            """);
        AssertErrorCount(r, 3);
        Expect(r, "DBOPS1038", 2, 7);
        Expect(r, "DBOPS1038", 4, 3);
        Expect(r, "DBOPS1038", 6, 3);
    }

    [Fact]
    public void Dbops1009_QueryNamesThatCollideWithGeneratedMethods()
    {
        var r = Load("""
            dbops: 1
            entities:
              A:
                columns:
                  Id: { type: int64, primaryKey: true }
            queries:
              Migrate:
                sql: SELECT 1
                returns: int32
              inTransaction:
                sql: SELECT 1
                returns: int32
            """);
        AssertErrorCount(r, 2);
        Expect(r, "DBOPS1009", 7, 3);
        Expect(r, "DBOPS1009", 10, 3);
    }

    [Fact]
    public void Dbops1801_ForeignKeyWithoutIndex()
    {
        var r = Load("""
            dbops: 1
            entities:
              A:
                columns:
                  Id: { type: int64, primaryKey: true }
              B:
                columns:
                  Id: { type: int64, primaryKey: true }
                  AId: { type: int64, references: A }
            """);
        Assert.False(r.HasErrors);
        Assert.NotNull(r.Model);
        var d = Assert.Single(r.Diagnostics);
        Assert.Equal("DBOPS1801", d.Code);
        Assert.Equal((9, 39), (d.Location.Line, d.Location.Column));
        Assert.Equal(Diagnostics.DiagnosticSeverity.Warning, d.Severity);
    }

    [Fact]
    public void Dbops1802_RenamedFromSelf()
    {
        var r = Load("""
            dbops: 1
            entities:
              A:
                renamedFrom: A
                columns:
                  Id: { type: int64, primaryKey: true, renamedFrom: Id }
            """);
        Assert.False(r.HasErrors);
        AssertCount(r, 2);
        Expect(r, "DBOPS1802", 4, 18);
        Expect(r, "DBOPS1802", 6, 57);
    }

    [Fact]
    public void AllProblemsAreReportedInOneLoad()
    {
        var r = Load("""
            dbops: 1
            provider: mysql
            entities:
              A:
                colums: {}
              B:
                columns:
                  Id: { type: uuid, primaryKey: true }
                  X: { type: int32, references: Nope }
            """);
        Assert.Equal(["DBOPS1028", "DBOPS1034", "DBOPS1005", "DBOPS1010", "DBOPS1003"], r.Diagnostics.Select(d => d.Code));
    }
}

package dev.tarn.query.internal.ddl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.txlog.types.ArrayType;
import dev.tarn.txlog.types.DecimalType;
import dev.tarn.txlog.types.MapType;
import dev.tarn.txlog.types.PrimitiveType;
import dev.tarn.txlog.types.StructField;
import dev.tarn.txlog.types.StructType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DdlParserTest {

    private static DdlStatement parse(String sql) {
        return DdlParser.parse(sql).orElseThrow(() -> new AssertionError("not DDL: " + sql));
    }

    private static TarnException syntaxError(String sql) {
        TarnException e = assertThrows(TarnException.class, () -> DdlParser.parse(sql));
        assertEquals(ErrorCode.SYNTAX_ERROR, e.errorCode(), e.getMessage());
        return e;
    }

    @Test
    void queriesAndInsertsAreNotDdl() {
        assertTrue(DdlParser.parse("SELECT * FROM t").isEmpty());
        assertTrue(DdlParser.parse("insert into t values (1)").isEmpty());
        assertTrue(DdlParser.parse("  WITH x AS (SELECT 1) SELECT * FROM x").isEmpty());
        assertTrue(DdlParser.parse("SELECT 'unterminated").isEmpty());
    }

    @Test
    void checkpointStatement() {
        DdlStatement.Checkpoint c = assertInstanceOf(DdlStatement.Checkpoint.class, parse("CHECKPOINT s.t"));
        assertEquals(TableName.of("s", "t"), c.table());
        assertEquals(TableName.ofPath("/data/t"),
                ((DdlStatement.Checkpoint) parse("CHECKPOINT delta.`/data/t`")).table());
        assertInstanceOf(DdlStatement.Checkpoint.class, parse("checkpoint table t;"));
        assertInstanceOf(DdlStatement.Checkpoint.class, parse("CHECKPOINT delta.`/data/t`"));
        assertTrue(c.writes());
        assertTrue(DdlParser.parse("CHECKPOINT").isEmpty(), "no table: left to the SQL engine's error");
    }

    @Test
    void schemaStatements() {
        assertEquals(new DdlStatement.CreateSchema("s", false), parse("CREATE SCHEMA s"));
        assertEquals(new DdlStatement.CreateSchema("Sales", true), parse("create database if not exists `Sales`;"));
        assertEquals(new DdlStatement.DropSchema("s", true, true), parse("DROP SCHEMA IF EXISTS s CASCADE"));
        assertEquals(new DdlStatement.DropSchema("s", false, false), parse("drop database s"));
        assertEquals(new DdlStatement.ShowSchemas(), parse("SHOW SCHEMAS"));
        assertEquals(new DdlStatement.ShowSchemas(), parse("show databases"));
        assertEquals(new DdlStatement.ShowTables(Optional.empty()), parse("SHOW TABLES"));
        assertEquals(new DdlStatement.ShowTables(Optional.of("s")), parse("SHOW TABLES IN s"));
        assertEquals(new DdlStatement.Use("s"), parse("USE s"));
    }

    @Test
    void createTableWithEveryClause() {
        DdlStatement.CreateTable ct = assertInstanceOf(DdlStatement.CreateTable.class, parse("""
                CREATE TABLE IF NOT EXISTS s.`My Table` (
                  id BIGINT NOT NULL COMMENT 'the key',
                  -- a comment line
                  p STRING,
                  d DECIMAL(12, 2),
                  /* block comment */ e DEC
                ) USING DELTA PARTITIONED BY (p) COMMENT 'It''s a table'
                TBLPROPERTIES ('delta.appendOnly' = 'true', owner = 'me', delta.checkpointInterval = 5)
                """));
        assertEquals(TableName.of("s", "My Table"), ct.table());
        assertTrue(ct.ifNotExists());
        assertEquals(4, ct.columns().size());
        assertEquals(new DdlStatement.ColumnDefinition("id", PrimitiveType.LONG, false, Optional.of("the key")),
                ct.columns().get(0));
        assertEquals(new DecimalType(12, 2), ct.columns().get(2).type());
        assertEquals(new DecimalType(10, 0), ct.columns().get(3).type());
        assertEquals(List.of("p"), ct.options().partitionColumns());
        assertEquals(Optional.of("It's a table"), ct.options().comment());
        assertEquals(Map.of("delta.appendOnly", "true", "owner", "me", "delta.checkpointInterval", "5"),
                ct.options().properties());
    }

    @Test
    void typeAliasesAndNestedTypes() {
        DdlStatement.CreateTable ct = assertInstanceOf(DdlStatement.CreateTable.class, parse(
                "CREATE TABLE t (a BYTE, b SHORT, c INTEGER, d LONG, e REAL, f DOUBLE, g VARCHAR(10), h CHAR(2),"
                        + " i DATE, j TIMESTAMP, k TIMESTAMP_NTZ, l BINARY, m BOOLEAN, n NUMERIC(38,38),"
                        + " o ARRAY<ARRAY<INT>>, q MAP<STRING, STRUCT<x: INT, `y z`: ARRAY<DECIMAL(5,1)>>>,"
                        + " r STRUCT<a: MAP<INT,STRING> NOT NULL COMMENT 'c'>)"));
        List<Object> types = ct.columns().stream().map(c -> (Object) c.type()).toList();
        StructType inner = new StructType(List.of(new StructField("x", PrimitiveType.INTEGER, true),
                new StructField("y z", new ArrayType(new DecimalType(5, 1), true), true)));
        assertEquals(List.of(PrimitiveType.BYTE, PrimitiveType.SHORT, PrimitiveType.INTEGER, PrimitiveType.LONG,
                PrimitiveType.FLOAT, PrimitiveType.DOUBLE, PrimitiveType.STRING, PrimitiveType.STRING,
                PrimitiveType.DATE, PrimitiveType.TIMESTAMP, PrimitiveType.TIMESTAMP_NTZ, PrimitiveType.BINARY,
                PrimitiveType.BOOLEAN, new DecimalType(38, 38),
                new ArrayType(new ArrayType(PrimitiveType.INTEGER, true), true),
                new MapType(PrimitiveType.STRING, inner, true),
                new StructType(List.of(new StructField("a", new MapType(PrimitiveType.INTEGER, PrimitiveType.STRING, true),
                        false, Map.of("comment", "c"))))), types);
    }

    @Test
    void ctasKeepsTheQueryText() {
        DdlStatement.CreateTableAsSelect c = assertInstanceOf(DdlStatement.CreateTableAsSelect.class,
                parse("CREATE TABLE t USING delta PARTITIONED BY (p) AS SELECT p, count(*) AS n FROM x GROUP BY p;"));
        assertEquals("SELECT p, count(*) AS n FROM x GROUP BY p", c.query());
        assertEquals(List.of("p"), c.options().partitionColumns());
        assertFalse(c.ifNotExists());
    }

    @Test
    void pathNamedTables() {
        DdlStatement.CreateTable ct = assertInstanceOf(DdlStatement.CreateTable.class,
                parse("CREATE TABLE delta.`/tmp/x y/t` (a INT)"));
        assertEquals(TableName.ofPath("/tmp/x y/t"), ct.table());
        assertEquals(new DdlStatement.DropTable(TableName.ofPath("/a/b"), true), parse("DROP TABLE IF EXISTS delta.`/a/b`"));
        assertEquals(new DdlStatement.Describe(TableName.ofPath("/a/b")), parse("DESCRIBE TABLE delta.`/a/b`"));
        // A schema that happens to be called delta, with a plain table name, is not a path.
        assertEquals(new DdlStatement.Describe(TableName.of("delta", "t")), parse("DESC delta.t"));
    }

    @Test
    void syntaxErrorsNameThePosition() {
        TarnException e = syntaxError("CREATE TABLE t (a INT,\n  b FOO)");
        assertTrue(e.getMessage().contains("line 2, column 5"), e.getMessage());
        assertTrue(e.getMessage().contains("FOO"), e.getMessage());
        assertTrue(syntaxError("CREATE TABLE t (a INT").getMessage().contains("end of statement"));
        syntaxError("CREATE TABLE t (a DECIMAL(39, 2))");
        syntaxError("CREATE TABLE t (a DECIMAL(5, 6))");
        syntaxError("CREATE TABLE t (a INT) PARTITIONED BY (a INT)");
        syntaxError("CREATE TABLE t (a INT) junk");
        syntaxError("CREATE TABLE t (a INT) COMMENT 'x' COMMENT 'y'");
        syntaxError("DROP TABLE");
        syntaxError("SHOW FUNCTIONS");
        syntaxError("CREATE TABLE t (a INT) AS SELECT 1");
        syntaxError("CREATE TABLE `t (a INT)");
    }

    @Test
    void nonDeltaFormatIsRejected() {
        TarnException e = assertThrows(TarnException.class, () -> DdlParser.parse("CREATE TABLE t (a INT) USING parquet"));
        assertEquals(ErrorCode.UNSUPPORTED_FEATURE, e.errorCode());
    }

    @Test
    void duplicateColumnsAreRejected() {
        TarnException e = assertThrows(TarnException.class, () -> DdlParser.parse("CREATE TABLE t (a INT, A STRING)"));
        assertEquals(ErrorCode.VALIDATION_ERROR, e.errorCode());
    }

    @Test
    void unsupportedSparkDdlIsNamed() {
        for (String sql : List.of("CREATE OR REPLACE TABLE t (a INT)", "REPLACE TABLE t (a INT)",
                "ALTER SCHEMA s OWNER TO u", "CREATE VIEW v AS SELECT 1", "create temporary view v as select 1")) {
            TarnException e = assertThrows(TarnException.class, () -> DdlParser.parse(sql), sql);
            assertEquals(ErrorCode.UNSUPPORTED_STATEMENT, e.errorCode(), sql);
        }
    }

    @Test
    void maintenanceStatements() {
        DdlStatement.Optimize o = assertInstanceOf(DdlStatement.Optimize.class,
                parse("OPTIMIZE s.t WHERE p >= 3 AND q = 'x' ZORDER BY (a, b) FULL;"));
        assertEquals(TableName.of("s", "t"), o.table());
        assertEquals(List.of("a", "b"), o.zOrderBy());
        assertTrue(o.full());
        assertEquals(2, o.where().size());
        assertEquals(dev.tarn.txlog.skipping.Predicate.Op.GE, o.where().get(0).op());
        assertEquals("x", o.where().get(1).literal().text());
        DdlStatement.Optimize ne = assertInstanceOf(DdlStatement.Optimize.class, parse("optimize t where p <> -1"));
        assertEquals(dev.tarn.txlog.skipping.Predicate.Op.NE, ne.where().get(0).op());
        assertTrue(ne.where().get(0).negative());
        assertEquals(List.of(), ne.zOrderBy());
        assertInstanceOf(DdlStatement.Purge.class, parse("REORG TABLE t APPLY (PURGE)"));
        DdlStatement.Vacuum v = assertInstanceOf(DdlStatement.Vacuum.class, parse("VACUUM t LITE RETAIN 1.5 HOURS DRY RUN"));
        assertEquals(Optional.of(java.time.Duration.ofMinutes(90)), v.retention());
        assertTrue(v.lite());
        assertTrue(v.dryRun());
        DdlStatement.Vacuum plain = assertInstanceOf(DdlStatement.Vacuum.class, parse("VACUUM t"));
        assertEquals(Optional.empty(), plain.retention());
        assertFalse(plain.lite() || plain.dryRun());
        assertEquals(new DdlStatement.SetRetentionCheck(false),
                parse("SET spark.databricks.delta.retentionDurationCheck.enabled = false"));
        assertEquals(new DdlStatement.SetRetentionCheck(true), parse("set TARN.VACUUM.RETENTIONCHECK true"));
        assertTrue(DdlParser.parse("SET some.other.key = 1").isEmpty());
        syntaxError("VACUUM t RETAIN 1 HOURS RETAIN 2 HOURS");
        syntaxError("VACUUM t RETAIN x HOURS");
        syntaxError("SET tarn.vacuum.retentionCheck = maybe");
        syntaxError("REORG TABLE t APPLY (UPGRADE)");
        TarnException or = assertThrows(TarnException.class, () -> DdlParser.parse("OPTIMIZE t WHERE a = 1 OR a = 2"));
        assertEquals(ErrorCode.UNSUPPORTED_STATEMENT, or.errorCode());
        assertTrue(or.getMessage().contains("column 24"), or.getMessage());
        TarnException fn = assertThrows(TarnException.class, () -> DdlParser.parse("OPTIMIZE t WHERE lower(a) = 'x'"));
        assertEquals(ErrorCode.UNSUPPORTED_STATEMENT, fn.errorCode());
    }

    @Test
    void alterTableClusterBy() {
        assertEquals(new DdlStatement.AlterClusterBy(TableName.of("s", "t"), List.of(List.of("a"), List.of("b", "c"))),
                parse("ALTER TABLE s.t CLUSTER BY (a, b.c)"));
        assertEquals(new DdlStatement.AlterClusterBy(TableName.of(null, "t"), List.of()),
                parse("alter table t cluster by none;"));
        syntaxError("ALTER TABLE t CLUSTER BY ()");
        syntaxError("ALTER TABLE t CLUSTER (a)");
    }
}

package dev.tarn.query.internal.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.error.ErrorCode;
import dev.tarn.txlog.types.DecimalType;
import dev.tarn.txlog.types.PrimitiveType;
import dev.tarn.txlog.types.StructField;
import dev.tarn.txlog.types.StructType;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * INSERT ... VALUES of plain literals is planned without Calcite ({@link LiteralInsert}); the rows it writes must
 * be the ones the Calcite route writes for the same values ({@code INSERT ... SELECT * FROM (VALUES ...)} always
 * takes that route), and everything it does not take must still work or fail as before.
 */
class LiteralInsertTest extends EngineFixture {
    private InMemoryTable fast;
    private InMemoryTable slow;

    @BeforeEach
    void tables() {
        StructType schema = StructType.of(
                new StructField("b", PrimitiveType.BYTE, true),
                new StructField("s", PrimitiveType.SHORT, true),
                new StructField("i", PrimitiveType.INTEGER, false),
                new StructField("l", PrimitiveType.LONG, true),
                new StructField("d", PrimitiveType.DOUBLE, true),
                new StructField("m", new DecimalType(9, 3), true),
                new StructField("t", PrimitiveType.STRING, true),
                new StructField("f", PrimitiveType.BOOLEAN, true));
        fast = new InMemoryTable("default.fast", schema, 1024);
        slow = new InMemoryTable("default.slow", schema, 1024);
        catalog.add("default", "fast", fast).add("default", "slow", slow);
    }

    private static final List<String> ROWS = List.of("(1, -2, 3, -4000000000000, 0.1, 12.5, 'a', TRUE)",
            "(-128, 32767, -2147483648, 9223372036854775807, -1.5E3, -0.001, 'bcd', FALSE)",
            "(NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL)",
            "(127, 0, 2147483647, 0, 7, 123456, 'ünï ''quoted''', NULL)",
            "(0, 1, 2, 3, 1e-3, 0, '', TRUE)");

    @Test
    void literalValuesWriteWhatTheCalciteRouteWrites() {
        String values = String.join(", ", ROWS);
        PlannedStatement planned = plan("INSERT INTO fast VALUES " + values);
        assertTrue(((InsertStatement) planned).explain().contains("LiteralValues[5 rows]"),
                ((InsertStatement) planned).explain());
        assertEquals(5L, insert("INSERT INTO fast VALUES " + values));
        // Row by row: planning a VALUES column that mixes decimal and double literals fails on the Calcite route
        // (a ClassCastException while folding), and what is compared is what each literal becomes in its column.
        for (String row : ROWS) {
            assertEquals(1L, insert("INSERT INTO slow SELECT * FROM (VALUES " + row + ")"));
        }
        assertEquals(slow.rowList(), fast.rowList());
        assertEquals(List.of(1L, -2L, 3L, -4_000_000_000_000L, 0.1, dec("12.500"), "a", true), fast.rowList().get(0));
        assertEquals(1, fast.appends);
    }

    @Test
    void valuesNeedingConversionTakeTheCalciteRoute() {
        // Rounding, strings for numbers, numbers for strings, expressions, out-of-range values: Calcite decides.
        for (String values : List.of("(1, 1, 1.5, 1, 1, 1, 'x', TRUE)", "(1, 1, 1, 1, 1, 0.0001, 'x', TRUE)",
                "(1, 1, '7', 1, 1, 1, 'x', TRUE)", "(1, 1, 1, 1, 1, 1, 5, TRUE)", "(1, 1, 1 + 1, 1, 1, 1, 'x', TRUE)",
                "(1, 1, 1, 1, 1, 1, 'x', 'true')", "(1, 1, 1, 1, 1, 1, UPPER('x'), TRUE)")) {
            fast.rows.clear();
            slow.rows.clear();
            PlannedStatement planned = plan("INSERT INTO fast VALUES " + values);
            assertTrue(!((InsertStatement) planned).explain().contains("LiteralValues["), values);
            insert("INSERT INTO fast VALUES " + values);
            insert("INSERT INTO slow SELECT * FROM (VALUES " + values + ")");
            assertEquals(slow.rowList(), fast.rowList(), values);
        }
        fast.rows.clear();
        error(ErrorCode.NUMERIC_OVERFLOW, "INSERT INTO fast VALUES (128, 1, 1, 1, 1, 1, 'x', TRUE)");
        error(ErrorCode.NOT_NULL_VIOLATION, "INSERT INTO fast VALUES (1, 1, NULL, 1, 1, 1, 'x', TRUE)");
        assertEquals(0, fast.rows.size());
    }
    @Test
    void statementFormsTheRecognizerTakes() {
        for (String sql : List.of("insert into fast values (1, 2, 3, 4, 5.25, 6, 'x', true)",
                "INSERT INTO default.fast VALUES(1,2,3,4,5.25,6,'x',TRUE);",
                "  INSERT\n INTO `fast`\tVALUES\n (1, 2, 3, 4, 5.25, 6, 'x', TRUE) ;  ",
                "INSERT INTO `default`.`fast` VALUES (1, 2, 3, 4, 525E-2, 6, 'x', True)")) {
            PlannedStatement planned = plan(sql);
            assertTrue(((InsertStatement) planned).explain().contains("LiteralValues[1 rows]"), sql);
            fast.rows.clear();
            assertEquals(1L, insert(sql));
            assertEquals(List.of(List.of(1L, 2L, 3L, 4L, 5.25, dec("6.000"), "x", true)), fast.rowList(), sql);
        }
    }

    @Test
    void otherFormsAreLeftToCalcite() {
        // Comments, other string and number syntax, a column list, a missing value, an unknown table.
        for (String values : List.of("(1, 2, 3, 4, 5, 6, 'x', TRUE) -- note", "(1, 2, 3, 4, 5, 6, 'a\\tb', TRUE)",
                "(1, 2, +3, 4, 5, 6, 'x', TRUE)", "(1, 2, - 3, 4, 5, 6, 'x', TRUE)", "(1, 2, 3, 4, .5, 6, 'x', TRUE)",
                "(1, 2, 3, 4, 5, 6, 'x')")) {
            fast.rows.clear();
            slow.rows.clear();
            String sql = "INSERT INTO fast VALUES " + values;
            assertTrue(!((InsertStatement) plan(sql)).explain().contains("LiteralValues["), values);
            insert(sql);
            insert("INSERT INTO slow SELECT * FROM (VALUES " + values.replace(" -- note", "") + ")");
            assertEquals(slow.rowList(), fast.rowList(), values);
        }
        fast.rows.clear();
        insert("INSERT INTO fast (i, t) VALUES (9, 'y')");
        assertEquals(List.of(java.util.Arrays.asList(null, null, 9L, null, null, null, "y", null)), fast.rowList());
        error(ErrorCode.TABLE_NOT_FOUND, "INSERT INTO nowhere VALUES (1)");
    }
}

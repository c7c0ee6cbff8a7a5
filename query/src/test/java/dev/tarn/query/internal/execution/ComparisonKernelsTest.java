package dev.tarn.query.internal.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tarn.query.internal.Lakes;
import java.util.List;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Integer, date and timestamp columns compared with constants (the range kernel), on either side of the operator,
 * with and without NULLs, checked against counts computed here from {@link ParallelTables}' formulas.
 */
class ComparisonKernelsTest extends ParallelTableTest {
    private static final int ROWS = ParallelTables.FILES * ParallelTables.ROWS_PER_FILE;

    @BeforeAll
    static void createNullableTable() {
        session.execute("CREATE TABLE n (i INT, b BIGINT, d DATE, ts TIMESTAMP)").close();
        session.execute("INSERT INTO n VALUES (1, 10, DATE '2024-01-01', TIMESTAMP '2024-01-01 00:00:00'), "
                + "(NULL, NULL, NULL, NULL), (3, 30, DATE '2024-03-01', TIMESTAMP '2024-03-01 12:00:00'), "
                + "(-2147483648, -9223372036854775808, DATE '1970-01-01', TIMESTAMP '1970-01-01 00:00:00'), "
                + "(2147483647, 9223372036854775807, DATE '2999-12-31', TIMESTAMP '2999-12-31 23:59:59')").close();
    }

    private static long count(String where) {
        List<String> rows = Lakes.rows(session.execute("SELECT count(*) FROM t WHERE " + where));
        return Long.parseLong(rows.get(0).replaceAll("[\\[\\]]", ""));
    }

    private static long expected(LongPredicate p) {
        long c = 0;
        for (long id = 0; id < ROWS; id++) {
            c += p.test(id) ? 1 : 0;
        }
        return c;
    }

    @Test
    void bigintAndIntAgainstConstantsOnEitherSide() {
        session.execute("SET threads = 4").close();
        assertEquals(expected(id -> id < 12345), count("id < 12345"));
        assertEquals(expected(id -> id <= 12345), count("id <= 12345"));
        assertEquals(expected(id -> id > 12345), count("12345 < id"));
        assertEquals(expected(id -> id >= 79999), count("id >= 79999"));
        assertEquals(1, count("id = 4321"));
        assertEquals(ROWS - 1, count("4321 <> id"));
        assertEquals(expected(id -> id % 37 < 5), count("5 > grp"));
        assertEquals(expected(id -> id % 37 >= 30), count("grp >= 30"));
        assertEquals(0, count("id < -9223372036854775807 - 1 + 0"));
    }

    private static List<String> select(String where) {
        return Lakes.rows(session.execute("SELECT i FROM n WHERE " + where + " ORDER BY i"));
    }

    @Test
    void nullsNeverMatchAndExtremesCompareExactly() {
        assertEquals(List.of("[-2147483648]", "[1]"), select("i < 3"));
        assertEquals(List.of("[-2147483648]", "[1]", "[3]"), select("3 >= i"));
        assertEquals(List.of("[-2147483648]", "[1]", "[3]"), select("i <> 2147483647"));
        assertEquals(List.of("[2147483647]"), select("b > 30"));
        assertEquals(List.of("[-2147483648]"), select("b < -9223372036854775807"));
        assertEquals(List.of("[2147483647]"), select("b >= 9223372036854775807"));
        assertEquals(List.of("[1]", "[3]", "[2147483647]"), select("d >= DATE '2024-01-01'"));
        assertEquals(List.of("[-2147483648]", "[1]"), select("DATE '2024-02-01' > d"));
        assertEquals(List.of("[3]"), select("d = DATE '2024-03-01'"));
        assertEquals(List.of("[3]", "[2147483647]"), select("ts > TIMESTAMP '2024-03-01 11:59:59'"));
        assertEquals(List.of("[-2147483648]", "[1]", "[2147483647]"),
                select("ts <> TIMESTAMP '2024-03-01 12:00:00'"));
    }
}

package dev.tarn.query.internal.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Window functions over the fixture's people table (7 rows, with NULL names, ages, salaries and departments). */
class WindowFunctionsTest extends EngineFixture {

    /** Column {@code c} of every row as text: decimals without trailing zeros, NULL as "null". */
    private List<String> column(String sql, int c) {
        List<String> out = new ArrayList<>();
        for (List<Object> row : query(sql)) {
            Object v = row.get(c);
            out.add(v instanceof BigDecimal d ? d.stripTrailingZeros().toPlainString() : String.valueOf(v));
        }
        return out;
    }

    @Test
    void rankingFunctions() {
        String sql = "SELECT id, ROW_NUMBER() OVER (PARTITION BY dept ORDER BY salary DESC) AS rn,"
                + " RANK() OVER (ORDER BY age) AS r, DENSE_RANK() OVER (ORDER BY age) AS dr,"
                + " NTILE(3) OVER (ORDER BY id) AS tile FROM people ORDER BY id";
        // DESC puts NULL last (Dee), ASC puts NULL first (Cid's age).
        assertEquals(List.of("3", "2", "1", "2", "1", "1", "1"), column(sql, 1));
        assertEquals(List.of("4", "6", "1", "3", "7", "4", "2"), column(sql, 2));
        assertEquals(List.of("4", "5", "1", "3", "6", "4", "2"), column(sql, 3));
        // 7 rows in 3 tiles: 3, 2, 2.
        assertEquals(List.of("1", "1", "1", "2", "2", "3", "3"), column(sql, 4));
    }

    @Test
    void offsetAndValueFunctions() {
        String sql = "SELECT id, LAG(name) OVER (ORDER BY id), LEAD(id, 2, 0) OVER (ORDER BY id),"
                + " FIRST_VALUE(name) OVER (PARTITION BY dept ORDER BY id),"
                + " LAST_VALUE(name) OVER (PARTITION BY dept ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING"
                + " AND UNBOUNDED FOLLOWING), LAST_VALUE(name) OVER (PARTITION BY dept ORDER BY id)"
                + " FROM people ORDER BY id";
        assertEquals(List.of("null", "Ann", "Bob", "Cid", "Dee", "null", "Eve"), column(sql, 1));
        assertEquals(List.of("3", "4", "5", "6", "7", "0", "0"), column(sql, 2));
        assertEquals(List.of("Ann", "Ann", "Cid", "Cid", "null", "Ann", "Fay"), column(sql, 3));
        assertEquals(List.of("Eve", "Eve", "Dee", "Dee", "null", "Eve", "Fay"), column(sql, 4));
        // The default frame ends at the current row's last peer.
        assertEquals(List.of("Ann", "Bob", "Cid", "Dee", "null", "Eve", "Fay"), column(sql, 5));
    }

    @Test
    void aggregatesWithDefaultFrames() {
        String sql = "SELECT id, SUM(salary) OVER (PARTITION BY dept ORDER BY id),"
                + " COUNT(*) OVER (PARTITION BY dept), AVG(score) OVER (PARTITION BY dept),"
                + " SUM(age) OVER (ORDER BY age) FROM people WHERE dept IS NOT NULL ORDER BY id";
        assertEquals(List.of("1000.5", "3000.5", "1500.25", "1500.25", "5500.5", "900"), column(sql, 1));
        assertEquals(List.of("3", "3", "2", "2", "3", "1"), column(sql, 2));
        assertEquals(List.of("2.3333333333333335", "2.3333333333333335", "4.0", "4.0", "2.3333333333333335", "-1.0"),
                column(sql, 3));
        // RANGE UNBOUNDED PRECEDING .. CURRENT ROW: peers (both 34s) share the sum; the NULL age sorts first.
        assertEquals(List.of("118", "163", "null", "50", "118", "22"), column(sql, 4));
    }

    @Test
    void rowsAndRangeFrames() {
        String sql = "SELECT id, SUM(age) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING),"
                + " MAX(score) OVER (ORDER BY id ROWS 2 PRECEDING),"
                + " SUM(age) OVER (ORDER BY age RANGE BETWEEN 6 PRECEDING AND CURRENT ROW),"
                + " COUNT(age) OVER (ORDER BY age DESC RANGE BETWEEN CURRENT ROW AND 10 FOLLOWING),"
                + " MIN(name) OVER (ORDER BY id ROWS BETWEEN 1 FOLLOWING AND 3 FOLLOWING)"
                + " FROM people ORDER BY id";
        assertEquals(List.of("79", "79", "73", "79", "113", "107", "56"), column(sql, 1));
        assertEquals(List.of("1.5", "2.5", "2.5", "4.0", "4.0", "4.0", "3.0"), column(sql, 2));
        assertEquals(List.of("96", "45", "null", "50", "96", "96", "22"), column(sql, 3));
        // DESC: following rows have smaller ages, down to age - 10.
        assertEquals(List.of("3", "1", "0", "2", "2", "3", "1"), column(sql, 4));
        assertEquals(List.of("Bob", "Cid", "Dee", "Eve", "Eve", "Fay", "null"), column(sql, 5));
    }

    @Test
    void windowOverAggregateAndInExpressions() {
        String sql = "SELECT dept, SUM(salary) AS total, RANK() OVER (ORDER BY SUM(salary) DESC) AS pos,"
                + " 100 * SUM(salary) / SUM(SUM(salary)) OVER () AS pct"
                + " FROM people WHERE dept IS NOT NULL GROUP BY dept ORDER BY pos";
        assertEquals(List.of("eng", "ops", "sales"), column(sql, 0));
        assertEquals(List.of("5500.5", "1500.25", "900"), column(sql, 1));
        assertEquals(List.of("1", "2", "3"), column(sql, 2));
    }
}

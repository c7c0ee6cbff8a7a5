package dev.tarn.query.internal.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.error.ErrorCode;
import dev.tarn.query.ResultColumn;
import dev.tarn.txlog.types.PrimitiveType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** EXPLAIN shows the physical plan as rows; EXPLAIN ANALYZE runs the query and reports per-operator counters. */
class ExplainTest extends EngineFixture {

    private List<String> lines(String sql) {
        return query(sql).stream().map(r -> (String) r.get(0)).toList();
    }

    private static String lineWith(List<String> lines, String text) {
        return lines.stream().filter(l -> l.contains(text)).findFirst()
                .orElseThrow(() -> new AssertionError("no line with " + text + " in\n" + String.join("\n", lines)));
    }

    @Test
    void explainReturnsThePlanTreeWithPushedFiltersAndColumns() {
        assertEquals(List.of(new ResultColumn("plan", PrimitiveType.STRING, false)),
                plan("EXPLAIN SELECT name FROM people WHERE age > 30").columns());
        List<String> lines = lines("explain SELECT name FROM people WHERE age > 30 ORDER BY name");
        assertTrue(lines.get(0).startsWith("Sort"), lines.toString());
        String scan = lineWith(lines, "Scan[default.people");
        assertTrue(scan.contains("columns=[name, age]"), scan);
        assertTrue(scan.contains("filters=[age GT [30]]"), scan);
        assertTrue(scan.startsWith("  "), "children are indented: " + scan);
        assertTrue(people.scannedColumns.isEmpty(), "EXPLAIN does not read the table");
        assertEquals(lines, lines("EXPLAIN PLAN FOR SELECT name FROM people WHERE age > 30 ORDER BY name"));
    }

    @Test
    void explainAnalyzeRunsTheQueryAndCountsRowsPerOperator() {
        List<String> lines = lines("EXPLAIN ANALYZE SELECT dept, COUNT(*) FROM people WHERE id > 1 GROUP BY dept");
        assertTrue(lines.get(0).startsWith("Total: rows=4 "), lines.toString());
        assertTrue(lineWith(lines, "HashAggregate").contains("(rows=4 batches=1 time="), lines.toString());
        // Three batches of people; the filter runs over the scanned rows.
        assertTrue(lineWith(lines, "Scan[default.people").contains("(rows=7 batches=3 time="), lines.toString());
        assertTrue(lineWith(lines, "Filter[").contains("(rows=6 "), lines.toString());
        assertEquals(1, people.scannedColumns.size());
    }

    @Test
    void explainTakesParametersAndInserts() {
        List<String> lines = query("EXPLAIN ANALYZE SELECT id FROM people WHERE id < ?", 3).stream()
                .map(r -> (String) r.get(0)).toList();
        assertTrue(lines.get(0).startsWith("Total: rows=2 "), lines.toString());
        assertTrue(lineWith(lines("EXPLAIN INSERT INTO target SELECT id, name, salary, born FROM people"), "Insert[")
                .startsWith("Insert["));
        error(ErrorCode.UNSUPPORTED_STATEMENT, "EXPLAIN ANALYZE INSERT INTO target SELECT id, name, salary, born FROM people");
        assertEquals(0, target.rows.size());
    }

    @Test
    void unaliasedExpressionsAreNamedAsSparkNamesThem() {
        assertEquals(List.of("dept", "count(1)", "sum(salary)", "(age + 1)", "count(DISTINCT name)", "max(age)",
                        "CAST(age AS STRING)", "upper(name)", "n", "1", "x", "(id * 2)",
                        "(- id)", "coalesce(name, dept)"),
                plan("SELECT dept, COUNT(*), SUM(salary), age + 1, COUNT(DISTINCT name), MAX(p.age),"
                        + " CAST(age AS STRING), UPPER(name), name AS n, 1, 'x', id * 2, -id, COALESCE(name, dept)"
                        + " FROM people p GROUP BY dept, age, name, id").columns().stream().map(ResultColumn::name).toList());
        assertEquals(List.of("id", "row_number() OVER (PARTITION BY dept ORDER BY id DESC)", "sum(salary) OVER w",
                        "count(1) OVER ()"),
                plan("SELECT id, ROW_NUMBER() OVER (PARTITION BY dept ORDER BY id DESC), SUM(salary) OVER w,"
                        + " COUNT(*) OVER () FROM people WINDOW w AS (ORDER BY id)").columns().stream()
                        .map(ResultColumn::name).toList());
        assertEquals(List.of("count(1)"), plan("SELECT COUNT(*) FROM people ORDER BY 1").columns().stream()
                .map(ResultColumn::name).toList());
        assertEquals("CASE WHEN (id > 1) THEN 1 ELSE 0 END",
                plan("SELECT CASE WHEN id > 1 THEN 1 ELSE 0 END FROM people").columns().get(0).name());
    }
}

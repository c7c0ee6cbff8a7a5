package dev.tarn.query.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.query.internal.catalog.TableStatistics;
import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Table statistics for the planner, read from the Delta log of real tables. */
class TableStatisticsTest extends LakeTest {
    @BeforeEach
    void create() {
        session.execute("CREATE TABLE t (id BIGINT, k INT, d DATE, name STRING, x DOUBLE)").close();
    }

    private TableStatistics statistics() {
        return ((DatabaseImpl) db).catalog().table("default", "t").orElseThrow().statistics();
    }

    /** {@code rows} rows with ids from {@code first}, k = id % 10, one file per statement. */
    private void insert(long first, int rows) {
        StringBuilder sql = new StringBuilder("INSERT INTO t VALUES ");
        for (long id = first; id < first + rows; id++) {
            sql.append(id == first ? "" : ", ").append("(").append(id).append(", ").append(id % 10)
                    .append(", DATE '").append(LocalDate.of(2024, 1, 1).plusDays(id % 366)).append("', 'n")
                    .append(id).append("', ").append(id).append(".5)");
        }
        session.execute(sql.toString()).close();
    }

    @Test
    void rowCountBoundsAndDistinctCountsFromFileStatistics() {
        insert(1, 100);
        insert(1001, 50);
        TableStatistics s = statistics();
        assertEquals(150, s.rowCount());
        TableStatistics.ColumnStatistics id = s.column(0);
        assertEquals(1, id.min());
        assertEquals(1050, id.max());
        // Per file at most min(range, rows) distinct values: 100 + 50, not the 1050 of the overall range.
        assertEquals(150, id.distinctCount());
        assertEquals(0, id.nullCount());
        TableStatistics.ColumnStatistics k = s.column(1);
        assertEquals(10, k.distinctCount()); // range 0..9, whatever the file count
        TableStatistics.ColumnStatistics d = s.column(2);
        assertEquals(LocalDate.of(2024, 1, 2).toEpochDay(), d.min()); // id 1
        assertTrue(d.hasRange());
        TableStatistics.ColumnStatistics name = s.column(3);
        assertFalse(name.hasRange()); // strings have no numeric bounds
        assertEquals(-1, name.distinctCount());
        TableStatistics.ColumnStatistics x = s.column(4);
        assertEquals(1.5, x.min());
        assertEquals(1050.5, x.max());
        assertEquals(-1, x.distinctCount()); // not integral: no bound from the range
    }

    @Test
    void lowCardinalityStringColumnsHaveDistinctCounts() throws Exception {
        session.execute("CREATE TABLE flags (id BIGINT, status STRING, note STRING)").close();
        // Two files: statuses F, O (and NULLs) in the first, F, O, P in the second; notes all different.
        for (String statuses : new String[] {"F,O,,F,O,O", "P,F,O,P,P,F"}) {
            StringBuilder sql = new StringBuilder("INSERT INTO flags VALUES ");
            String[] values = statuses.split(",", -1);
            for (int i = 0; i < 40; i++) {
                String status = values[i % values.length];
                sql.append(i == 0 ? "" : ", ").append("(").append(i).append(", ")
                        .append(status.isEmpty() ? "NULL" : "'" + status + "'").append(", 'note ").append(statuses)
                        .append(i).append("')");
            }
            session.execute(sql.toString()).close();
        }
        TableStatistics s = ((DatabaseImpl) db).catalog().table("default", "flags").orElseThrow().statistics();
        assertEquals(80, s.rowCount());
        assertEquals(3, s.column(1).distinctCount());
        assertEquals(java.util.Map.of("F", 27L, "O", 26L, "P", 20L), s.column(1).valueCounts()); // NULLs aside
        assertFalse(s.column(1).hasRange());
        assertEquals(-1, s.column(2).distinctCount()); // 40 values in a file: more than are counted
        assertEquals(null, s.column(2).valueCounts());
        // The counts sit next to Delta's statistics fields, which keep their meaning.
        java.util.List<String> stats = new java.util.ArrayList<>();
        try (var commits = java.nio.file.Files.list(lake.resolve("default/flags/_delta_log"))) {
            for (Path commit : commits.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                for (String line : java.nio.file.Files.readAllLines(commit)) {
                    com.fasterxml.jackson.databind.JsonNode add = new com.fasterxml.jackson.databind.ObjectMapper()
                            .readTree(line).get("add");
                    if (add != null) {
                        stats.add(add.get("stats").asText());
                    }
                }
            }
        }
        assertEquals(2, stats.size());
        com.fasterxml.jackson.databind.JsonNode first = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(stats.get(0));
        assertEquals(40, first.get("numRecords").asInt());
        assertEquals(14, first.get("tarnValueCounts").get("status").get("F").asInt());
        assertEquals(19, first.get("tarnValueCounts").get("status").get("O").asInt());
        assertEquals(2, first.get("tarnValueCounts").get("status").size());
        assertEquals(7, first.get("nullCount").get("status").asInt());
        assertEquals("F", first.get("minValues").get("status").asText());
        assertFalse(first.get("tarnValueCounts").has("note"));
        assertFalse(first.get("tarnValueCounts").has("id"));
    }

    @Test
    void aStringValuePerFileCountsEveryFilesValue() {
        session.execute("CREATE TABLE days (id BIGINT, day STRING)").close();
        for (String day : new String[] {"2026-01-01", "2026-01-02", "2026-01-03", "2026-01-04"}) {
            session.execute("INSERT INTO days VALUES (1, '" + day + "'), (2, '" + day + "')").close();
        }
        TableStatistics s = ((DatabaseImpl) db).catalog().table("default", "days").orElseThrow().statistics();
        // One value in each file, four in all.
        assertEquals(4, s.column(1).distinctCount());
        assertEquals(2L, s.column(1).valueCounts().get("2026-01-03"));
    }

    @Test
    void deletedRowsAreNotCounted() {
        insert(1, 100);
        session.execute("DELETE FROM t WHERE id <= 30").close();
        assertEquals(70, statistics().rowCount());
    }

    @Test
    void emptyTableHasNoRows() {
        assertEquals(0, statistics().rowCount());
    }
}

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

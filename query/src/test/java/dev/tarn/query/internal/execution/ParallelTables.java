package dev.tarn.query.internal.execution;

import dev.tarn.query.Session;
import java.util.StringJoiner;

/** A test table {@code t} written in several commits (one data file each), so parallel scans have many morsels. */
final class ParallelTables {
    static final int FILES = 8;
    static final int ROWS_PER_FILE = 10_000;
    /**
     * About 640 M joined pairs (80 000 x 8 000): seconds of work however fast the join gets, far longer than the
     * waits of the cancellation and timeout tests.
     */
    static final String LONG_QUERY =
            "SELECT a.grp, count(*), sum(b.amount) FROM t a JOIN t b ON a.id % 10 = b.id % 10 GROUP BY a.grp";

    private ParallelTables() {}

    static void create(Session s) {
        s.execute("CREATE TABLE t (id BIGINT, grp INT, name STRING, amount DECIMAL(10,2), x DOUBLE)").close();
        for (int f = 0; f < FILES; f++) {
            long base = (long) f * ROWS_PER_FILE;
            s.execute("INSERT INTO t SELECT id, CAST(id % 37 AS INT), 'n' || CAST(id % 101 AS STRING), "
                    + "CAST(id % 1000 AS DECIMAL(10,2)) / 10, CAST(id % 13 AS DOUBLE) FROM (SELECT a.v * 100 + b.v + "
                    + base + " AS id FROM " + values(100) + " AS a(v) CROSS JOIN " + values(100) + " AS b(v))").close();
        }
    }

    private static String values(int n) {
        StringJoiner j = new StringJoiner(", ", "(VALUES ", ")");
        for (int i = 0; i < n; i++) {
            j.add("(" + i + ")");
        }
        return j.toString();
    }
}

package dev.tarn.query.internal.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tarn.query.Database;
import dev.tarn.query.DatabaseConfig;
import dev.tarn.query.QueryResult;
import dev.tarn.query.Session;
import dev.tarn.query.TableAppender;
import dev.tarn.query.internal.expression.Values;
import dev.tarn.testdata.SharedTestData;
import dev.tarn.testdata.tpch.TpchAnswers;
import dev.tarn.testdata.tpch.TpchBatches;
import dev.tarn.testdata.tpch.TpchGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * The 22 TPC-H queries at scale factor 0.01 over real Delta tables, checked against the shared reference answers
 * (test-data/tpch/README.md: numbers numerically at the reference's precision, rows in order where the ORDER BY
 * makes it total). The data is generated once per class by the same generator the answers come from
 * (io.trino.tpch 1.2, through test-data's TpchGenerator) and loaded through the public TableAppender, one commit
 * (so one data file) per generated batch, so that scans have several morsels. Every query runs on one worker thread
 * and on four.
 */
class TpchQueriesTest {
    private static final double SCALE = 0.01;

    @TempDir
    static Path lake;

    private static Database database;
    private static Session session;

    @BeforeAll
    static void generate() {
        long start = System.nanoTime();
        database = Database.open(DatabaseConfig.of(lake));
        session = database.newSession();
        loadTpch(session, SCALE, 1);
        session.setCurrentSchema("tpch");
        System.out.printf("TPC-H SF %s generated and written in %d ms%n", SCALE, (System.nanoTime() - start) / 1_000_000);
    }

    /** Creates schema tpch and its eight tables, loaded through the public appender (one commit per table). */
    static void loadTpch(Session session, double scale) {
        loadTpch(session, scale, Integer.MAX_VALUE);
    }

    /** As {@link #loadTpch(Session, double)}, committing (and so starting a new file) every {@code batchesPerCommit}. */
    static void loadTpch(Session session, double scale, int batchesPerCommit) {
        session.execute("CREATE SCHEMA tpch").close();
        try (BufferAllocator allocator = new RootAllocator()) {
            for (String table : TpchGenerator.TABLES) {
                session.execute(TpchGenerator.createTableSql("tpch." + table, table)).close();
                long rows = 0;
                try (TpchBatches batches = TpchGenerator.batches(table, scale, allocator)) {
                    VectorSchemaRoot b = batches.next();
                    while (b != null) {
                        try (TableAppender appender = session.appender("tpch", table)) {
                            for (int n = 0; b != null && n < batchesPerCommit; n++, b = batches.next()) {
                                appender.append(b);
                            }
                            rows += appender.rowCount();
                        }
                    }
                }
                if (scale == SCALE) {
                    assertEquals(TpchGenerator.ROWS_AT_SF_0_01.get(table), rows, table);
                }
            }
        }
    }

    @AfterAll
    static void closeLake() {
        if (session != null) {
            session.close();
        }
        if (database != null) {
            database.close();
        }
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> queriesAndThreads() {
        return java.util.stream.Stream.of(1, 4).flatMap(threads -> java.util.stream.IntStream.rangeClosed(1, 22)
                .mapToObj(q -> org.junit.jupiter.params.provider.Arguments.of(q, threads)));
    }

    @ParameterizedTest(name = "q{0} threads={1}")
    @org.junit.jupiter.params.provider.MethodSource("queriesAndThreads")
    void queryMatchesReferenceAnswer(int number, int threads) {
        session.execute("SET threads = " + threads).close();
        String name = TpchAnswers.name(number);
        String sql = TpchAnswers.query(number);
        long start = System.nanoTime();
        List<String> names;
        List<List<Object>> actual = new ArrayList<>();
        try (QueryResult r = session.execute(sql)) {
            names = r.columns().stream().map(c -> c.name()).toList();
            for (VectorSchemaRoot b = r.nextBatch(); b != null; b = r.nextBatch()) {
                List<Values.Reader> readers = b.getFieldVectors().stream().map(Values::reader).toList();
                for (int i = 0; i < b.getRowCount(); i++) {
                    List<Object> row = new ArrayList<>();
                    for (Values.Reader reader : readers) {
                        Object v = reader.get(i);
                        // Tarn's DATE values are epoch days (the only Integer its readers return).
                        row.add(v instanceof Integer days ? LocalDate.ofEpochDay(days) : v);
                    }
                    actual.add(row);
                }
            }
        }
        System.out.printf("TPC-H %s threads=%d: %d rows in %d ms%n", name, threads, actual.size(),
                (System.nanoTime() - start) / 1_000_000);
        TpchAnswers.check(name, sql, TpchAnswers.answer(number), names, actual);
    }

    @org.junit.jupiter.api.Test
    void explainAnalyzeReportsRowsPerOperatorOverDeltaTables() throws IOException {
        String sql = Files.readString(SharedTestData.tpch().resolve("queries").resolve("q06.sql"));
        List<String> lines = new ArrayList<>();
        try (QueryResult r = session.execute("EXPLAIN ANALYZE " + sql)) {
            for (VectorSchemaRoot b = r.nextBatch(); b != null; b = r.nextBatch()) {
                Values.Reader reader = Values.reader(b.getVector(0));
                for (int i = 0; i < b.getRowCount(); i++) {
                    lines.add((String) reader.get(i));
                }
            }
        }
        System.out.println("EXPLAIN ANALYZE q06:\n" + String.join("\n", lines));
        org.junit.jupiter.api.Assertions.assertTrue(lines.get(0).startsWith("Total: rows=1 "), lines.toString());
        String scan = lines.stream().filter(l -> l.contains("Scan[tpch.lineitem")).findFirst().orElseThrow();
        org.junit.jupiter.api.Assertions.assertTrue(scan.contains("l_shipdate GE"), scan);
        // Q6 decodes all of lineitem's 60175 rows (every file spans all ship dates, so pruning cannot skip any); its
        // pushed filters drop most of them inside the scan, before the other columns are decoded.
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(".*\\(rows=(\\d+) .* files=\\d+ filesPruned=0 "
                + "rowGroups=\\d+ rowGroupsPruned=0 rowsRemovedByDeletionVectors=0 rowsFilteredInScan=(\\d+)\\).*")
                .matcher(scan);
        org.junit.jupiter.api.Assertions.assertTrue(m.matches(), scan);
        long emitted = Long.parseLong(m.group(1));
        long filtered = Long.parseLong(m.group(2));
        org.junit.jupiter.api.Assertions.assertEquals(60175, emitted + filtered, scan);
        org.junit.jupiter.api.Assertions.assertTrue(emitted < 60175 / 10, scan);
    }
}

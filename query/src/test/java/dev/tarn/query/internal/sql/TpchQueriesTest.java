package dev.tarn.query.internal.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tarn.query.Database;
import dev.tarn.query.DatabaseConfig;
import dev.tarn.query.QueryResult;
import dev.tarn.query.Session;
import dev.tarn.query.internal.catalog.DeltaLakeCatalog;
import dev.tarn.query.internal.catalog.TableHandle;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.Operator;
import dev.tarn.query.internal.expression.Values;
import dev.tarn.query.internal.write.WriteSettings;
import dev.tarn.storage.fs.LocalFileIO;
import dev.tarn.testdata.SharedTestData;
import io.trino.tpch.TpchColumn;
import io.trino.tpch.TpchEntity;
import io.trino.tpch.TpchTable;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The 22 TPC-H queries at scale factor 0.01 over real Delta tables, checked against the shared reference answers
 * (test-data/tpch/README.md: numbers numerically at the reference's precision, rows in order where the ORDER BY
 * makes it total). The data is generated once per class by the same generator the answers come from
 * (io.trino.tpch 1.2) and appended as Arrow batches through the lake catalog, one commit per table.
 */
class TpchQueriesTest {
    private static final double SCALE = 0.01;
    private static final Map<String, Long> ROW_COUNTS = Map.of("lineitem", 60175L, "orders", 15000L,
            "partsupp", 8000L, "part", 2000L, "customer", 1500L, "supplier", 100L, "nation", 25L, "region", 5L);
    private static final Pattern ORDER_BY = Pattern.compile("(?is)\\bORDER\\s+BY\\s+(.*?)(?:\\bLIMIT\\b.*)?$");

    @TempDir
    static Path lake;

    private static Database database;
    private static Session session;

    @BeforeAll
    static void generate() {
        long start = System.nanoTime();
        database = Database.open(DatabaseConfig.of(lake));
        session = database.newSession();
        session.execute("CREATE SCHEMA tpch").close();
        for (TpchTable<?> table : TpchTable.getTables()) {
            session.execute(createTable(table)).close();
        }
        DeltaLakeCatalog catalog = new DeltaLakeCatalog(lake, new LocalFileIO(), WriteSettings.DEFAULTS);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try (BufferAllocator allocator = new RootAllocator()) {
            ExecutionContext context = new ExecutionContext(allocator, executor, 1, ZoneOffset.UTC);
            for (TpchTable<?> table : TpchTable.getTables()) {
                TableHandle handle = catalog.table("tpch", table.getTableName()).orElseThrow();
                long rows = append(handle, table, context);
                assertEquals(ROW_COUNTS.get(table.getTableName()), rows, table.getTableName());
            }
        } finally {
            executor.shutdownNow();
        }
        session.setCurrentSchema("tpch");
        System.out.printf("TPC-H SF %s generated and written in %d ms%n", SCALE, (System.nanoTime() - start) / 1_000_000);
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

    private static String createTable(TpchTable<?> table) {
        List<String> columns = new ArrayList<>();
        for (TpchColumn<?> c : table.getColumns()) {
            columns.add(c.getColumnName() + " " + switch (c.getType().getBase()) {
                case IDENTIFIER -> "BIGINT";
                case INTEGER -> "INT";
                case DOUBLE -> "DECIMAL(15,2)";
                case DATE -> "DATE";
                case VARCHAR -> "STRING";
            });
        }
        return "CREATE TABLE tpch." + table.getTableName() + " (" + String.join(", ", columns) + ")";
    }

    private static <E extends TpchEntity> long append(TableHandle handle, TpchTable<E> table, ExecutionContext context) {
        try (Operator source = new GeneratorSource<>(table, handle)) {
            return handle.append(source, context);
        }
    }

    /** Batches of generated rows shaped as the table's schema (test data loading, so row-wise filling is fine). */
    private static final class GeneratorSource<E extends TpchEntity> implements Operator {
        private final List<TpchColumn<E>> tpchColumns;
        private final List<dev.tarn.query.ResultColumn> columns;
        private final Iterator<E> rows;
        private ExecutionContext context;
        private VectorSchemaRoot batch;

        GeneratorSource(TpchTable<E> table, TableHandle handle) {
            this.tpchColumns = table.getColumns();
            this.columns = handle.schema().fields().stream()
                    .map(f -> new dev.tarn.query.ResultColumn(f.name(), f.type(), f.nullable())).toList();
            this.rows = table.createGenerator(SCALE, 1, 1).iterator();
        }

        @Override
        public List<dev.tarn.query.ResultColumn> columns() {
            return columns;
        }

        @Override
        public void open(ExecutionContext ctx) {
            this.context = ctx;
        }

        @Override
        public VectorSchemaRoot next() {
            if (batch == null) {
                batch = dev.tarn.query.internal.operator.Batches.newRoot(columns, context.allocator());
            }
            if (!rows.hasNext()) {
                return null;
            }
            batch.getFieldVectors().forEach(org.apache.arrow.vector.ValueVector::reset);
            List<Values.Writer> writers = batch.getFieldVectors().stream().map(Values::writer).toList();
            int n = 0;
            while (n < 8192 && rows.hasNext()) {
                E row = rows.next();
                for (int c = 0; c < tpchColumns.size(); c++) {
                    TpchColumn<E> col = tpchColumns.get(c);
                    writers.get(c).set(n, switch (col.getType().getBase()) {
                        case IDENTIFIER -> col.getIdentifier(row);
                        case INTEGER -> (long) col.getInteger(row);
                        case DOUBLE -> BigDecimal.valueOf(col.getDouble(row)).setScale(2, RoundingMode.HALF_UP);
                        case DATE -> col.getDate(row);
                        case VARCHAR -> col.getString(row);
                    });
                }
                n++;
            }
            for (var v : batch.getFieldVectors()) {
                v.setValueCount(n);
            }
            batch.setRowCount(n);
            return batch;
        }

        @Override
        public void close() {
            if (batch != null) {
                batch.close();
                batch = null;
            }
        }
    }

    @ParameterizedTest(name = "q{0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22})
    void queryMatchesReferenceAnswer(int number) throws IOException {
        String name = String.format(Locale.ROOT, "q%02d", number);
        Path dir = SharedTestData.tpch();
        String sql = Files.readString(dir.resolve("queries").resolve(name + ".sql"));
        List<List<String>> expected = Csv.parse(Files.readString(dir.resolve("sf0.01").resolve(name + ".csv")));
        List<String> header = expected.remove(0);

        long start = System.nanoTime();
        List<String> names;
        List<List<Object>> actual = new ArrayList<>();
        try (QueryResult r = session.execute(sql)) {
            names = r.columns().stream().map(c -> c.name().toLowerCase(Locale.ROOT)).toList();
            for (VectorSchemaRoot b = r.nextBatch(); b != null; b = r.nextBatch()) {
                List<Values.Reader> readers = b.getFieldVectors().stream().map(Values::reader).toList();
                for (int i = 0; i < b.getRowCount(); i++) {
                    List<Object> row = new ArrayList<>();
                    for (Values.Reader reader : readers) {
                        row.add(reader.get(i));
                    }
                    actual.add(row);
                }
            }
        }
        System.out.printf("TPC-H %s: %d rows in %d ms%n", name, actual.size(), (System.nanoTime() - start) / 1_000_000);

        assertEquals(header, names, name + " column names");
        assertEquals(expected.size(), actual.size(), name + " row count");
        int[] keys = orderKeys(sql, header);
        // Rows come in the reference's order; rows tied on every ORDER BY key form a run that may come in any order.
        int start0 = 0;
        while (start0 < expected.size()) {
            int end = start0 + 1;
            while (end < expected.size() && sameKeys(expected.get(start0), expected.get(end), keys)) {
                end++;
            }
            List<List<Object>> pool = new ArrayList<>(actual.subList(start0, end));
            for (int e = start0; e < end; e++) {
                List<String> want = expected.get(e);
                boolean found = false;
                for (Iterator<List<Object>> it = pool.iterator(); it.hasNext(); ) {
                    if (rowMatches(want, it.next())) {
                        it.remove();
                        found = true;
                        break;
                    }
                }
                if (!found) {
                    fail(name + ": expected row " + (e + 1) + " " + want + " not among actual rows " + (start0 + 1)
                            + ".." + end + ": " + actual.subList(start0, end));
                }
            }
            start0 = end;
        }
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
        // Q6 reads all of lineitem's 60175 rows (one file, so pruning cannot skip any).
        org.junit.jupiter.api.Assertions.assertTrue(scan.contains("(rows=60175 "), scan);
    }

    /** Result column positions of the ORDER BY items (all TPC-H sort keys are output columns); none: one run. */
    private static int[] orderKeys(String sql, List<String> header) {
        String body = sql.replaceAll("--[^\n]*", "");
        Matcher m = ORDER_BY.matcher(body.strip());
        if (!m.find()) {
            return null;
        }
        List<Integer> keys = new ArrayList<>();
        for (String item : m.group(1).split(",")) {
            String column = item.strip().split("\\s+")[0].toLowerCase(Locale.ROOT);
            int i = header.indexOf(column);
            if (i < 0) {
                throw new IllegalStateException("ORDER BY item " + item + " is not an output column of " + header);
            }
            keys.add(i);
        }
        return keys.stream().mapToInt(Integer::intValue).toArray();
    }

    private static boolean sameKeys(List<String> a, List<String> b, int[] keys) {
        if (keys == null) {
            return true;
        }
        for (int k : keys) {
            if (!a.get(k).equals(b.get(k))) {
                return false;
            }
        }
        return true;
    }

    private static boolean rowMatches(List<String> expected, List<Object> actual) {
        if (expected.size() != actual.size()) {
            return false;
        }
        for (int i = 0; i < expected.size(); i++) {
            if (!cellMatches(expected.get(i), actual.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** The README's rules: strings and dates exactly, numbers numerically at the reference's precision. */
    static boolean cellMatches(String expected, Object actual) {
        if (actual == null) {
            return expected.isEmpty();
        }
        if (actual instanceof String s) {
            return s.equals(expected);
        }
        if (actual instanceof Integer days) {
            return LocalDate.ofEpochDay(days).toString().equals(expected);
        }
        BigDecimal want;
        try {
            want = new BigDecimal(expected);
        } catch (NumberFormatException e) {
            return false;
        }
        int wantScale = Math.max(want.scale(), 0);
        if (actual instanceof Double d) {
            double w = want.doubleValue();
            return Math.abs(d - w) <= 1e-9 * Math.abs(w) || d == w;
        }
        BigDecimal got = actual instanceof BigDecimal b ? b : BigDecimal.valueOf(((Number) actual).longValue());
        if (got.scale() >= wantScale) {
            // A reference printed with many decimals is a double (shortest round trip): relative 1e-9.
            return got.compareTo(want) == 0 || (wantScale > 6
                    && got.subtract(want).abs().doubleValue() <= 1e-9 * want.abs().doubleValue());
        }
        if (wantScale >= 2 && got.scale() < 2) {
            return false;
        }
        // Fewer decimals than the reference: the reference rounded to ours, within half a unit in our last place.
        BigDecimal halfUnit = BigDecimal.ONE.scaleByPowerOfTen(-got.scale()).divide(BigDecimal.valueOf(2));
        return got.subtract(want).abs().compareTo(halfUnit) <= 0;
    }

    /** RFC 4180 as the reference answers use it. */
    static final class Csv {
        static List<List<String>> parse(String text) {
            List<List<String>> rows = new ArrayList<>();
            List<String> row = new ArrayList<>();
            StringBuilder cell = new StringBuilder();
            boolean quoted = false;
            boolean any = false;
            for (int i = 0; i < text.length(); i++) {
                char ch = text.charAt(i);
                if (quoted) {
                    if (ch == '"') {
                        if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                            cell.append('"');
                            i++;
                        } else {
                            quoted = false;
                        }
                    } else {
                        cell.append(ch);
                    }
                } else if (ch == '"') {
                    quoted = true;
                    any = true;
                } else if (ch == ',') {
                    row.add(cell.toString());
                    cell.setLength(0);
                    any = true;
                } else if (ch == '\n' || ch == '\r') {
                    if (ch == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                        i++;
                    }
                    row.add(cell.toString());
                    rows.add(row);
                    row = new ArrayList<>();
                    cell.setLength(0);
                    any = false;
                } else {
                    cell.append(ch);
                    any = true;
                }
            }
            if (any || cell.length() > 0) {
                row.add(cell.toString());
                rows.add(row);
            }
            return rows;
        }
    }
}

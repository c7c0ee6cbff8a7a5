package dev.tarn.query.internal.sql;

import dev.tarn.query.Database;
import dev.tarn.query.DatabaseConfig;
import dev.tarn.query.QueryResult;
import dev.tarn.query.Session;
import dev.tarn.query.internal.expression.Values;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The lake of the join tests that put a few rows against many: table {@code small (k BIGINT, s INT, name STRING)}
 * and table {@code big (k BIGINT, s INT)} in eight files (so four workers split a probe of it) of 250 rows whose keys
 * (100 to 199) small never has, plus the rows each test adds to some of the files.
 */
final class SmallAndBigTables implements AutoCloseable {
    private final Database database;
    private final Session session;

    /**
     * Creates both tables in {@code lake}: {@code smallRows} is the VALUES list of small; {@code bigExtras} maps a
     * file number (0 to 7) to the rows appended to that file of big.
     */
    SmallAndBigTables(Path lake, String smallRows, Map<Integer, String> bigExtras) {
        database = Database.open(DatabaseConfig.of(lake));
        session = database.newSession();
        session.execute("CREATE TABLE small (k BIGINT, s INT, name STRING)").close();
        session.execute("INSERT INTO small VALUES " + smallRows).close();
        session.execute("CREATE TABLE big (k BIGINT, s INT)").close();
        for (int file = 0; file < 8; file++) {
            StringJoiner values = new StringJoiner(", ");
            for (int i = 0; i < 250; i++) {
                values.add("(" + (100 + (file * 250 + i) % 100) + ", " + i + ")");
            }
            String extra = bigExtras.get(file);
            if (extra != null) {
                values.add(extra);
            }
            session.execute("INSERT INTO big VALUES " + values).close();
        }
    }

    void setThreads(int threads) {
        session.execute("SET threads = " + threads).close();
    }

    /** The rows of {@code sql}'s result, each as the values of its columns. */
    List<List<Object>> query(String sql) {
        List<List<Object>> out = new ArrayList<>();
        try (QueryResult r = session.execute(sql)) {
            for (VectorSchemaRoot b = r.nextBatch(); b != null; b = r.nextBatch()) {
                List<Values.Reader> readers = b.getFieldVectors().stream().map(Values::reader).toList();
                for (int i = 0; i < b.getRowCount(); i++) {
                    List<Object> row = new ArrayList<>();
                    for (Values.Reader reader : readers) {
                        row.add(reader.get(i));
                    }
                    out.add(row);
                }
            }
        }
        return out;
    }

    /** {@code sql}'s EXPLAIN text. */
    String plan(String sql) {
        StringBuilder b = new StringBuilder();
        query("EXPLAIN " + sql).forEach(row -> b.append(row.get(0)).append('\n'));
        return b.toString();
    }

    @Override
    public void close() {
        session.close();
        database.close();
    }
}

package dev.tarn.query.internal.dml;

import static dev.tarn.query.internal.Lakes.rows;
import static dev.tarn.query.internal.Lakes.sorted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.Database;
import dev.tarn.query.DatabaseConfig;
import dev.tarn.query.QueryResult;
import dev.tarn.query.Session;
import dev.tarn.query.internal.Lakes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.function.Executable;

/** A lake with one session for DML tests, and the table features a test runs under. */
final class DmlFixture implements AutoCloseable {
    /** The table features a parameterized test runs with. */
    record Features(boolean deletionVectors, boolean rowTracking) {
        String properties(String extra) {
            String p = "'delta.enableDeletionVectors' = '" + deletionVectors + "', 'delta.enableRowTracking' = '"
                    + rowTracking + "'";
            return " TBLPROPERTIES (" + p + (extra.isEmpty() ? "" : ", " + extra) + ")";
        }

        @Override
        public String toString() {
            return (deletionVectors ? "DVs" : "no DVs") + ", " + (rowTracking ? "row tracking" : "no row tracking");
        }
    }

    static List<Features> features() {
        return List.of(new Features(true, true), new Features(true, false), new Features(false, true),
                new Features(false, false));
    }

    final Path lake;
    final Database db;
    final Session session;

    DmlFixture(Path dir) {
        lake = dir.resolve("lake");
        db = Database.open(DatabaseConfig.of(lake));
        session = db.newSession();
    }

    Path table(String name) {
        return lake.resolve("default").resolve(name);
    }

    long update(String sql) {
        QueryResult r = session.execute(sql);
        assertEquals(QueryResult.Kind.UPDATE_COUNT, r.kind(), sql);
        return r.updateCount();
    }

    void execute(String sql) {
        session.execute(sql).close();
    }

    List<String> query(String sql) {
        return sorted(rows(session.execute(sql)));
    }

    static void assertError(ErrorCode code, Executable e) {
        TarnException ex = assertThrows(TarnException.class, e);
        assertEquals(code, ex.errorCode(), ex.getMessage());
    }

    /** The newest version of a table. */
    long version(String name) {
        return Lakes.commitCount(table(name)) - 1;
    }

    List<JsonNode> actions(String name, long version, String action) {
        return Lakes.actions(table(name), version, action);
    }

    /** Deletion vector files below the table, relative paths. */
    List<String> dvFiles(String name) {
        Path t = table(name);
        try (Stream<Path> s = Files.walk(t)) {
            return s.filter(p -> p.getFileName().toString().startsWith("deletion_vector_"))
                    .map(p -> t.relativize(p).toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every file below the table (log included), relative paths, sorted. */
    List<String> allFiles(String name) {
        Path t = table(name);
        try (Stream<Path> s = Files.walk(t)) {
            return new ArrayList<>(s.filter(Files::isRegularFile).map(p -> t.relativize(p).toString()).sorted()
                    .toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        db.close();
    }
}

package dev.tarn.query.internal;

import static dev.tarn.query.internal.Lakes.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.Database;
import dev.tarn.query.DatabaseConfig;
import dev.tarn.query.QueryResult;
import dev.tarn.query.Session;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** A fresh lake with one session per test, and the small steps statement tests share. */
abstract class LakeTest {
    @TempDir
    Path dir;
    Path lake;
    Database db;
    Session session;

    @BeforeEach
    void openLake() {
        lake = dir.resolve("lake");
        db = Database.open(DatabaseConfig.of(lake));
        session = db.newSession();
    }

    @AfterEach
    void closeLake() {
        db.close();
    }

    /** Runs a statement that must answer OK or an update count. */
    void ok(String sql) {
        try (QueryResult r = session.execute(sql)) {
            assertTrue(r.kind() == QueryResult.Kind.OK || r.kind() == QueryResult.Kind.UPDATE_COUNT, sql);
        }
    }

    List<String> query(String sql) {
        return rows(session.execute(sql));
    }

    static TarnException assertError(ErrorCode code, Executable e) {
        TarnException ex = assertThrows(TarnException.class, e);
        assertEquals(code, ex.errorCode(), ex.getMessage());
        return ex;
    }

    /** The folder of table {@code name} in the default schema. */
    Path table(String name) {
        return lake.resolve("default").resolve(name);
    }

    long latestVersion(String name) {
        try (Stream<Path> files = Files.list(table(name).resolve("_delta_log"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d{20}\\.json"))
                    .mapToLong(n -> Long.parseLong(n.substring(0, 20))).max().orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

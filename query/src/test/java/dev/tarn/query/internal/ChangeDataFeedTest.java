package dev.tarn.query.internal;

import static dev.tarn.query.internal.Lakes.rows;
import static dev.tarn.query.internal.Lakes.sorted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.Database;
import dev.tarn.query.DatabaseConfig;
import dev.tarn.query.QueryResult;
import dev.tarn.query.ResultColumn;
import dev.tarn.query.Session;
import dev.tarn.txlog.types.PrimitiveType;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code table_changes} and {@code table_changes_by_path} over tables Tarn writes, end to end through SQL. */
class ChangeDataFeedTest {
    @TempDir
    Path dir;
    Database db;
    Session session;

    @BeforeEach
    void open() {
        db = Database.open(DatabaseConfig.of(dir.resolve("lake")));
        session = db.newSession();
        session.execute("CREATE TABLE t (id INT, name STRING) TBLPROPERTIES ('delta.enableChangeDataFeed'='true')")
                .close();                                                                   // version 0
        session.execute("INSERT INTO t VALUES (1, 'a'), (2, 'b')").close();                 // version 1
        session.execute("INSERT INTO t VALUES (3, 'c')").close();                           // version 2
    }

    @AfterEach
    void close() {
        db.close();
    }

    private List<String> query(String sql) {
        return sorted(rows(session.execute(sql)));
    }

    @Test
    void insertsAreChangesWithTheirCommitVersion() {
        try (QueryResult r = session.execute("SELECT * FROM table_changes('t', 0)")) {
            assertEquals(List.of("id", "name", "_change_type", "_commit_version", "_commit_timestamp"),
                    r.columns().stream().map(ResultColumn::name).toList());
            assertEquals(List.of(PrimitiveType.INTEGER, PrimitiveType.STRING, PrimitiveType.STRING,
                    PrimitiveType.LONG, PrimitiveType.TIMESTAMP), r.columns().stream().map(ResultColumn::type).toList());
        }
        assertEquals(List.of("[1,\"a\",\"insert\",1]", "[2,\"b\",\"insert\",1]", "[3,\"c\",\"insert\",2]"),
                query("SELECT id, name, _change_type, _commit_version FROM table_changes('t', 0)"));
        assertEquals(List.of("[3,\"c\",2]"),
                query("SELECT t.id, name, _commit_version FROM table_changes('default.t', 2, 2) WHERE id > 0"));
        assertEquals(List.of("[1]", "[2]"), query("SELECT c.id FROM table_changes('T', 1, 1) c"));
        String location = dir.resolve("lake").resolve("default").resolve("t").toString();
        assertEquals(List.of("[3]"), query("SELECT id FROM table_changes_by_path('" + location + "', 2)"));
    }

    @Test
    void commitTimestampsSelectAndAreReturned() {
        assertEquals(List.of("[1]", "[2]", "[3]"),
                query("SELECT id FROM table_changes('t', '2000-01-01', '2999-12-31 00:00:00')"));
        TarnException future = assertThrows(TarnException.class,
                () -> session.execute("SELECT * FROM table_changes('t', '2999-01-01')").close());
        assertEquals(ErrorCode.VERSION_NOT_FOUND, future.errorCode(), future.getMessage());
        List<String> stamps = query("SELECT DISTINCT _commit_timestamp > TIMESTAMP '2020-01-01 00:00:00' "
                + "FROM table_changes('t', 1)");
        assertEquals(List.of("[true]"), stamps);
    }

    @Test
    void aRangeWithoutChangeDataIsRefusedNamingTheVersion() {
        session.execute("CREATE TABLE plain (id INT)").close();
        session.execute("INSERT INTO plain VALUES (1)").close();
        TarnException ex = assertThrows(TarnException.class,
                () -> session.execute("SELECT * FROM table_changes('plain', 0, 1)").close());
        assertEquals(ErrorCode.VALIDATION_ERROR, ex.errorCode(), ex.getMessage());
        assertTrue(ex.getMessage().contains("version 0") && ex.getMessage().contains("plain"), ex.getMessage());
    }

    @Test
    void badRangesAndArgumentsAreReported() {
        TarnException late = assertThrows(TarnException.class,
                () -> session.execute("SELECT * FROM table_changes('t', 9)").close());
        assertEquals(ErrorCode.VERSION_NOT_FOUND, late.errorCode(), late.getMessage());
        TarnException mixed = assertThrows(TarnException.class,
                () -> session.execute("SELECT * FROM table_changes('t', 0, '2024-01-01')").close());
        assertEquals(ErrorCode.SYNTAX_ERROR, mixed.errorCode(), mixed.getMessage());
        TarnException args = assertThrows(TarnException.class,
                () -> session.execute("SELECT * FROM table_changes('t')").close());
        assertTrue(args.getMessage().contains("start"), args.getMessage());
    }
}

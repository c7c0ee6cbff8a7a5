package dev.tarn.query.internal.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.Database;
import dev.tarn.query.DatabaseConfig;
import dev.tarn.query.PreparedQuery;
import dev.tarn.query.QueryResult;
import dev.tarn.query.ResultColumn;
import dev.tarn.query.Session;
import dev.tarn.query.internal.expression.Values;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQL engine through the public Database/Session API over real Delta tables in a temporary lake. */
class EndToEndSqlTest {
    @TempDir
    Path dir;
    Database db;
    Session session;

    @BeforeEach
    void open() {
        db = Database.open(DatabaseConfig.of(dir.resolve("lake")));
        session = db.newSession();
        session.execute("CREATE TABLE emp (id INT NOT NULL, name STRING, dept STRING, salary DECIMAL(10,2), hired DATE)").close();
        try (QueryResult r = session.execute("INSERT INTO emp VALUES "
                + "(1, 'Ann', 'eng', 100.50, DATE '2020-01-01'), (2, 'Bob', 'eng', 200.00, DATE '2021-06-01'), "
                + "(3, 'Cid', 'ops', NULL, NULL), (4, NULL, NULL, 50.25, DATE '2019-12-31')")) {
            assertEquals(4, r.updateCount());
        }
    }

    @AfterEach
    void close() {
        session.close();
        db.close();
    }

    private static List<List<Object>> rows(QueryResult result) {
        try (result) {
            assertEquals(QueryResult.Kind.ROWS, result.kind());
            List<List<Object>> out = new ArrayList<>();
            VectorSchemaRoot batch;
            while ((batch = result.nextBatch()) != null) {
                List<ResultColumn> columns = result.columns();
                for (int i = 0; i < batch.getRowCount(); i++) {
                    List<Object> row = new ArrayList<>();
                    for (int c = 0; c < columns.size(); c++) {
                        row.add(EngineFixture.friendly(Values.reader(batch.getVector(c)).get(i), columns.get(c)));
                    }
                    out.add(row);
                }
            }
            return out;
        }
    }

    @Test
    void aggregatesFiltersAndOrderOverDelta() {
        assertEquals(List.of(Arrays.asList(null, 1L, new BigDecimal("50.25")), List.of("eng", 2L, new BigDecimal("300.50")),
                        Arrays.asList("ops", 1L, null)),
                rows(session.execute("SELECT dept, COUNT(*), SUM(salary) FROM emp GROUP BY dept ORDER BY dept")));
        assertEquals(List.of(List.of("Bob"), List.of("Ann")),
                rows(session.execute("SELECT name FROM emp WHERE salary > 60 ORDER BY salary DESC")));
        assertEquals(List.of(List.of(LocalDate.of(2021, 6, 1))),
                rows(session.execute("SELECT MAX(hired) FROM `default`.emp")));
        assertEquals(List.of(List.of(2L)), rows(session.execute("SELECT COUNT(*) FROM default.emp WHERE hired >= DATE '2020-01-01'")));
    }

    @Test
    void parametersAndPreparedQueries() {
        assertEquals(List.of(List.of("Ann")), rows(session.execute("SELECT name FROM emp WHERE id = ?", List.of(1))));
        PreparedQuery q = session.prepare("SELECT COUNT(*) FROM emp WHERE salary < ?");
        assertEquals(1, q.parameters().size());
        assertEquals(List.of(List.of(2L)), rows(q.execute(List.of(new BigDecimal("150")))));
        assertEquals(List.of(List.of(3L)), rows(q.execute(List.of(1000))));
    }

    @Test
    void insertSelectAndNotNull() {
        session.execute("CREATE TABLE copy (id BIGINT NOT NULL, who STRING)").close();
        try (QueryResult r = session.execute("INSERT INTO copy (who, id) SELECT name, id * 10 FROM emp WHERE dept = 'eng'")) {
            assertEquals(2, r.updateCount());
        }
        assertEquals(List.of(List.of(10L, "Ann"), List.of(20L, "Bob")), rows(session.execute("SELECT * FROM copy ORDER BY id")));
        TarnException e = assertThrows(TarnException.class, () -> session.execute("INSERT INTO copy (who) VALUES ('x')"));
        assertEquals(ErrorCode.NOT_NULL_VIOLATION, e.errorCode(), e.getMessage());
        e = assertThrows(TarnException.class, () -> session.execute("INSERT INTO copy SELECT NULL, 'y'"));
        assertEquals(ErrorCode.NOT_NULL_VIOLATION, e.errorCode(), e.getMessage());
        assertEquals(List.of(List.of(2L)), rows(session.execute("SELECT COUNT(*) FROM copy")));
    }

    @Test
    void errorsThroughTheSession() {
        TarnException e = assertThrows(TarnException.class, () -> session.execute("SELECT * FROM missing"));
        assertEquals(ErrorCode.TABLE_NOT_FOUND, e.errorCode());
        e = assertThrows(TarnException.class, () -> session.execute("SELECT nope FROM emp"));
        assertEquals(ErrorCode.COLUMN_NOT_FOUND, e.errorCode());
        e = assertThrows(TarnException.class, () -> session.execute("SELEC 1"));
        assertEquals(ErrorCode.SYNTAX_ERROR, e.errorCode());
        e = assertThrows(TarnException.class, () -> rows(session.execute("SELECT CAST(name AS INT) FROM emp")));
        assertEquals(ErrorCode.INVALID_CAST, e.errorCode());
        assertTrue(e.getMessage().contains("Ann") || e.getMessage().contains("Bob") || e.getMessage().contains("Cid"));
    }
}

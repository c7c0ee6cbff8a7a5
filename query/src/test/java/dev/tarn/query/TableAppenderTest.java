package dev.tarn.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableAppenderTest {
    @TempDir
    Path lake;

    private Database database;
    private Session session;

    @BeforeEach
    void open() {
        database = Database.open(DatabaseConfig.of(lake));
        session = database.newSession();
        session.execute("CREATE TABLE t (id BIGINT NOT NULL, name STRING, amount DECIMAL(10,2), day DATE)").close();
    }

    @AfterEach
    void close() {
        session.close();
        database.close();
    }

    @Test
    void rowsAndBatchesBecomeOneCommitOnClose() {
        try (BufferAllocator allocator = new RootAllocator();
             VectorSchemaRoot batch = VectorSchemaRoot.create(new Schema(List.of(
                     field("id", new ArrowType.Int(64, true)), field("name", ArrowType.Utf8.INSTANCE),
                     field("amount", new ArrowType.Decimal(10, 2, 128)),
                     field("day", new ArrowType.Date(org.apache.arrow.vector.types.DateUnit.DAY)))), allocator)) {
            batch.allocateNew();
            for (int i = 0; i < 3; i++) {
                ((BigIntVector) batch.getVector(0)).setSafe(i, 10 + i);
                ((VarCharVector) batch.getVector(1)).setSafe(i, ("b" + i).getBytes());
                ((DecimalVector) batch.getVector(2)).setSafe(i, 150 + i); // unscaled: 1.50, 1.51, 1.52
                ((org.apache.arrow.vector.DateDayVector) batch.getVector(3)).setSafe(i, 19000 + i);
            }
            batch.setRowCount(3);
            try (TableAppender appender = session.appender("default", "t")) {
                appender.appendRow(1L, "one", new BigDecimal("9.50"), LocalDate.parse("2026-01-02"));
                appender.appendRow(2, null, null, null);
                appender.append(batch);
                appender.appendRow(3L, "three", 0.25, "2026-03-04");
                assertEquals(6, appender.rowCount());
                assertEquals(List.of(), rows("SELECT id FROM t"), "nothing visible before close");
            }
        }
        assertEquals(List.of(
                List.of(1L, "one", new BigDecimal("9.50"), (int) LocalDate.parse("2026-01-02").toEpochDay()),
                Stream.of(2L, null, null, null).toList(),
                List.of(3L, "three", new BigDecimal("0.25"), (int) LocalDate.parse("2026-03-04").toEpochDay()),
                List.of(10L, "b0", new BigDecimal("1.50"), 19000),
                List.of(11L, "b1", new BigDecimal("1.51"), 19001),
                List.of(12L, "b2", new BigDecimal("1.52"), 19002)),
                rows("SELECT * FROM t ORDER BY id"));
        List<List<Object>> history = rows("DESCRIBE HISTORY t");
        assertEquals(2, history.size(), "CREATE TABLE and one WRITE: " + history);
        assertEquals(true, history.get(0).contains("WRITE"), history.get(0).toString());
    }

    @Test
    void manyRowsAreWrittenInBatches() {
        try (TableAppender appender = session.appender("default", "t")) {
            for (long i = 0; i < 20_000; i++) {
                appender.appendRow(i, "n" + i, BigDecimal.valueOf(i, 2), null);
            }
        }
        assertEquals(List.of(List.of(20_000L, 199_990_000L, new BigDecimal("1999900.00"))),
                rows("SELECT COUNT(*), SUM(id), SUM(amount) FROM t"));
    }

    @Test
    void abortCommitsNothingAndRemovesItsFiles() throws IOException {
        try (TableAppender appender = session.appender("default", "t")) {
            for (long i = 0; i < 10_000; i++) {
                appender.appendRow(i, "x", null, null);
            }
            appender.abort();
        }
        assertEquals(List.of(List.of(0L)), rows("SELECT COUNT(*) FROM t"));
        try (Stream<Path> files = Files.walk(lake.resolve("default").resolve("t"))) {
            assertEquals(List.of(), files.filter(p -> p.toString().endsWith(".parquet")).toList());
        }
    }

    @Test
    void badRowsAndBatchesAreRejectedWithoutWritingAnything() {
        try (BufferAllocator allocator = new RootAllocator();
             VectorSchemaRoot wrongType = VectorSchemaRoot.create(new Schema(List.of(
                     field("id", new ArrowType.Int(32, true)), field("name", ArrowType.Utf8.INSTANCE),
                     field("amount", new ArrowType.Decimal(10, 2, 128)),
                     field("day", new ArrowType.Date(org.apache.arrow.vector.types.DateUnit.DAY)))), allocator)) {
            wrongType.allocateNew();
            ((IntVector) wrongType.getVector(0)).setSafe(0, 1);
            wrongType.setRowCount(1);
            try (TableAppender appender = session.appender("default", "t")) {
                TarnException e = assertThrows(TarnException.class, () -> appender.append(wrongType));
                assertEquals(ErrorCode.TYPE_MISMATCH, e.errorCode());
                assertEquals(ErrorCode.TYPE_MISMATCH, assertThrows(TarnException.class,
                        () -> appender.appendRow(1L, "too few")).errorCode());
                assertEquals(ErrorCode.NOT_NULL_VIOLATION, assertThrows(TarnException.class,
                        () -> appender.appendRow(null, "a", null, null)).errorCode());
                assertEquals(ErrorCode.INVALID_CAST, assertThrows(TarnException.class,
                        () -> appender.appendRow("not a number", "a", null, null)).errorCode());
                appender.appendRow(7L, "kept", null, null);
            }
        }
        assertEquals(List.of(List.of(7L, "kept")), rows("SELECT id, name FROM t"));
    }

    @Test
    void missingTablesAndReadOnlySessionsAreRefused() {
        assertEquals(ErrorCode.TABLE_NOT_FOUND, assertThrows(TarnException.class,
                () -> session.appender("default", "nope")).errorCode());
        session.setReadOnly(true);
        assertEquals(ErrorCode.READ_ONLY, assertThrows(TarnException.class,
                () -> session.appender("default", "t")).errorCode());
    }

    @Test
    void partitionedTablesGetOneFilePerPartition() {
        session.execute("CREATE TABLE p (k STRING, v BIGINT) PARTITIONED BY (k)").close();
        try (TableAppender appender = session.appender("default", "p")) {
            for (long i = 0; i < 100; i++) {
                appender.appendRow(i % 2 == 0 ? "even" : "odd", i);
            }
        }
        assertEquals(List.of(List.of("even", 50L, 2450L), List.of("odd", 50L, 2500L)),
                rows("SELECT k, COUNT(*), SUM(v) FROM p GROUP BY k ORDER BY k"));
    }

    @Test
    void closingTheSessionAbortsAnOpenAppender() {
        TableAppender appender = session.appender("default", "t");
        appender.appendRow(1L, "lost", null, null);
        session.close();
        session = database.newSession();
        assertEquals(List.of(List.of(0L)), rows("SELECT COUNT(*) FROM t"));
    }

    private static Field field(String name, ArrowType type) {
        return new Field(name, FieldType.nullable(type), null);
    }

    private List<List<Object>> rows(String sql) {
        List<List<Object>> out = new ArrayList<>();
        try (QueryResult r = session.execute(sql)) {
            for (VectorSchemaRoot b = r.nextBatch(); b != null; b = r.nextBatch()) {
                for (int i = 0; i < b.getRowCount(); i++) {
                    List<Object> row = new ArrayList<>();
                    for (FieldVector v : b.getFieldVectors()) {
                        Object o = v.getObject(i);
                        row.add(o instanceof org.apache.arrow.vector.util.Text t ? t.toString() : o);
                    }
                    out.add(row);
                }
            }
        }
        return out;
    }
}

package dev.tarn.query;

import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Bulk loading into one Delta table without SQL: append Arrow batches or rows, and everything appended becomes one
 * commit (a WRITE in the table's history) when the appender is closed. Nothing is visible to readers before then,
 * and a failed or {@linkplain #abort() aborted} appender commits nothing and removes the files it wrote.
 *
 * <pre>{@code
 * try (TableAppender appender = session.appender("sales", "orders")) {
 *     appender.appendRow(1L, "open", new BigDecimal("9.50"));   // typed values, in table column order
 *     appender.append(batch);                                  // or whole Arrow batches
 * }                                                            // one commit here
 * }</pre>
 *
 * <p>Batches must have the table's columns in order with Tarn's Arrow types ({@link #columns()}; e.g. BIGINT is
 * 64-bit Int, DECIMAL(p,s) is Decimal(p,s,128), DATE is Date(DAY), STRING is Utf8, TIMESTAMP is microseconds with time
 * zone UTC); the batch is written at once and may be reused after {@link #append} returns. Row values are Java
 * objects: {@code Long}/{@code Integer}/{@code Short}/{@code Byte}, {@code Double}/{@code Float},
 * {@code BigDecimal}, {@code String}, {@code Boolean}, {@code byte[]}, {@code LocalDate}, {@code Instant} or
 * {@code java.sql.Timestamp} (TIMESTAMP), {@code LocalDateTime} (TIMESTAMP_NTZ), or null. Not thread-safe.
 */
public interface TableAppender extends AutoCloseable {

    /** The table's columns, in the order batches and rows give them. */
    List<ResultColumn> columns();

    /** Writes one batch; {@code TYPE_MISMATCH} when its columns differ from {@link #columns()}. */
    void append(VectorSchemaRoot batch);

    /** Buffers one row (values in column order); written in batches. */
    void appendRow(Object... values);

    /** Rows appended so far. */
    long rowCount();

    /** Discards everything appended: nothing is committed and the written files are deleted. */
    void abort();

    /**
     * Commits everything appended as one transaction (nothing when no rows were appended), unless aborted or an
     * append failed; releases the appender's memory either way. Errors are {@link dev.tarn.error.TarnException}s.
     */
    @Override
    void close();
}

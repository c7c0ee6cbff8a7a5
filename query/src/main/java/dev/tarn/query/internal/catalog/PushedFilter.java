package dev.tarn.query.internal.catalog;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A conjunct of a query's filter, simple enough for file skipping: {@code column op literal(s)}. Literal values use
 * Java classes by column type: Boolean, Byte, Short, Integer, Long, Float, Double, BigDecimal, String,
 * java.time.LocalDate (DATE), java.time.Instant (TIMESTAMP), java.time.LocalDateTime (TIMESTAMP_NTZ), byte[].
 *
 * @param column index into the table's schema
 * @param values one literal for comparisons, several for IN, none for IS [NOT] NULL
 */
public record PushedFilter(int column, Op op, List<Object> values) {
    public enum Op { EQ, NE, LT, LE, GT, GE, IS_NULL, IS_NOT_NULL, IN }

    public PushedFilter {
        requireNonNull(op, "op is null");
        values = List.copyOf(values);
        if (column < 0) {
            throw new IllegalArgumentException("column is negative");
        }
    }
}

package dev.tarn.query.internal.catalog;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A conjunct of a query's filter simple enough for a scan to use: {@code column op literal(s)}, or a comparison of
 * two columns of the same table and type, {@code column op otherColumn}. Literal values use Java classes by column
 * type: Boolean, Byte, Short, Integer, Long, Float, Double, BigDecimal, String, java.time.LocalDate (DATE),
 * java.time.Instant (TIMESTAMP), java.time.LocalDateTime (TIMESTAMP_NTZ), byte[]. File skipping uses only the
 * literal filters; the scan's row filter evaluates both kinds.
 *
 * @param column index into the table's schema
 * @param values one literal for comparisons, several for IN, none for IS [NOT] NULL and column comparisons
 * @param otherColumn the right-hand column of a column comparison (index into the table's schema), or -1
 */
public record PushedFilter(int column, Op op, List<Object> values, int otherColumn) {
    public enum Op { EQ, NE, LT, LE, GT, GE, IS_NULL, IS_NOT_NULL, IN }

    public PushedFilter {
        requireNonNull(op, "op is null");
        values = List.copyOf(values);
        if (column < 0) {
            throw new IllegalArgumentException("column is negative");
        }
        if (otherColumn < -1) {
            throw new IllegalArgumentException("otherColumn is below -1");
        }
        if (otherColumn >= 0) {
            if (!values.isEmpty()) {
                throw new IllegalArgumentException("a column comparison has no literal values");
            }
            if (op == Op.IS_NULL || op == Op.IS_NOT_NULL || op == Op.IN) {
                throw new IllegalArgumentException("a column comparison cannot use " + op);
            }
        }
    }

    /** {@code column op literal(s)}. */
    public PushedFilter(int column, Op op, List<Object> values) {
        this(column, op, values, -1);
    }

    /** {@code column op otherColumn}, two columns of the same type. */
    public static PushedFilter columns(int column, Op op, int otherColumn) {
        if (otherColumn < 0) {
            throw new IllegalArgumentException("otherColumn is negative");
        }
        return new PushedFilter(column, op, List.of(), otherColumn);
    }

    /** True for {@code column op otherColumn}, which statistics-based skipping cannot use. */
    public boolean comparesColumns() {
        return otherColumn >= 0;
    }
}

package dev.tarn.txlog.skipping;

import static java.util.Objects.requireNonNull;

import dev.tarn.txlog.types.DataType;
import java.util.List;

/**
 * A filter over table columns that scans use to skip files: exactly over partition values, conservatively over
 * per-file statistics (PROTOCOL.md "Per-file Statistics"). Comparisons follow SQL semantics: a comparison with a
 * null value is not true. Literal values use Tarn's value classes (Boolean, Byte, Short, Integer, Long, Float,
 * Double, BigDecimal, String, byte[], LocalDate, Instant for timestamp, LocalDateTime for timestamp_ntz).
 */
public sealed interface Predicate {

    /** A column by logical name; nested fields by path. */
    record Column(List<String> path) {
        public Column {
            path = List.copyOf(requireNonNull(path, "path is null"));
            if (path.isEmpty()) {
                throw new IllegalArgumentException("column path is empty");
            }
        }

        public static Column of(String... path) {
            return new Column(List.of(path));
        }

        public String name() {
            return String.join(".", path);
        }
    }

    /** A constant; {@code value} is null for SQL NULL. */
    record Literal(Object value, DataType type) {
        public Literal {
            requireNonNull(type, "type is null");
        }
    }

    enum Op {
        EQ, NE, LT, LE, GT, GE;

        /** The operator with its operands swapped: {@code a < b} is {@code b > a}. */
        public Op flip() {
            return switch (this) {
                case EQ, NE -> this;
                case LT -> GT;
                case LE -> GE;
                case GT -> LT;
                case GE -> LE;
            };
        }

        /** The complement for non-null operands: {@code NOT (a < b)} is {@code a >= b}. */
        public Op negate() {
            return switch (this) {
                case EQ -> NE;
                case NE -> EQ;
                case LT -> GE;
                case LE -> GT;
                case GT -> LE;
                case GE -> LT;
            };
        }
    }

    record Comparison(Column column, Op op, Literal literal) implements Predicate {
        public Comparison {
            requireNonNull(column, "column is null");
            requireNonNull(op, "op is null");
            requireNonNull(literal, "literal is null");
        }
    }

    record IsNull(Column column) implements Predicate {
        public IsNull {
            requireNonNull(column, "column is null");
        }
    }

    record IsNotNull(Column column) implements Predicate {
        public IsNotNull {
            requireNonNull(column, "column is null");
        }
    }

    record In(Column column, List<Literal> values) implements Predicate {
        public In {
            requireNonNull(column, "column is null");
            values = List.copyOf(requireNonNull(values, "values is null"));
        }
    }

    record And(List<Predicate> children) implements Predicate {
        public And {
            children = List.copyOf(requireNonNull(children, "children is null"));
        }
    }

    record Or(List<Predicate> children) implements Predicate {
        public Or {
            children = List.copyOf(requireNonNull(children, "children is null"));
        }
    }

    record Not(Predicate child) implements Predicate {
        public Not {
            requireNonNull(child, "child is null");
        }
    }
}

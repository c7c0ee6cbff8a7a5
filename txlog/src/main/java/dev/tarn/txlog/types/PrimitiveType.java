package dev.tarn.txlog.types;

import java.util.Locale;
import java.util.Optional;

/** The non-parameterized Delta types. */
public enum PrimitiveType implements DataType {
    BOOLEAN("boolean", "BOOLEAN"),
    BYTE("byte", "TINYINT"),
    SHORT("short", "SMALLINT"),
    INTEGER("integer", "INT"),
    LONG("long", "BIGINT"),
    FLOAT("float", "FLOAT"),
    DOUBLE("double", "DOUBLE"),
    STRING("string", "STRING"),
    BINARY("binary", "BINARY"),
    DATE("date", "DATE"),
    /** An instant, stored as microseconds since the epoch, UTC. */
    TIMESTAMP("timestamp", "TIMESTAMP"),
    /** A wall-clock date-time without zone, microseconds. */
    TIMESTAMP_NTZ("timestamp_ntz", "TIMESTAMP_NTZ"),
    /** Spark's NullType: a column that is always null. */
    VOID("void", "VOID");

    private final String deltaName;
    private final String sqlName;

    PrimitiveType(String deltaName, String sqlName) {
        this.deltaName = deltaName;
        this.sqlName = sqlName;
    }

    @Override
    public String simpleString() {
        return deltaName;
    }

    @Override
    public String sqlName() {
        return sqlName;
    }

    /** Looks up a Delta type name ({@code "integer"}); Spark's legacy alias {@code "null"} means void. */
    public static Optional<PrimitiveType> fromDeltaName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.equals("null")) {
            return Optional.of(VOID);
        }
        for (PrimitiveType t : values()) {
            if (t.deltaName.equals(n)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    public boolean isIntegral() {
        return this == BYTE || this == SHORT || this == INTEGER || this == LONG;
    }

    public boolean isNumeric() {
        return isIntegral() || this == FLOAT || this == DOUBLE;
    }
}

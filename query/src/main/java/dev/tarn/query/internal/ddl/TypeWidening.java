package dev.tarn.query.internal.ddl;

import dev.tarn.txlog.types.DataType;
import dev.tarn.txlog.types.DecimalType;
import dev.tarn.txlog.types.PrimitiveType;

/**
 * The type changes {@code ALTER COLUMN c TYPE t} allows: Delta's type widening (PROTOCOL.md "Type Widening",
 * "Supported Type Changes"), which readers apply to values in files written before the change.
 */
final class TypeWidening {
    private TypeWidening() {}

    static boolean isWidening(DataType from, DataType to) {
        if (from instanceof PrimitiveType f && to instanceof PrimitiveType t) {
            return switch (f) {
                case BYTE -> t == PrimitiveType.SHORT || t == PrimitiveType.INTEGER || t == PrimitiveType.LONG
                        || t == PrimitiveType.DOUBLE;
                case SHORT -> t == PrimitiveType.INTEGER || t == PrimitiveType.LONG || t == PrimitiveType.DOUBLE;
                case INTEGER -> t == PrimitiveType.LONG || t == PrimitiveType.DOUBLE;
                case FLOAT -> t == PrimitiveType.DOUBLE;
                case DATE -> t == PrimitiveType.TIMESTAMP_NTZ;
                default -> false;
            };
        }
        if (from instanceof DecimalType f && to instanceof DecimalType t) {
            return t.precision() >= f.precision() && t.scale() >= f.scale()
                    && t.precision() - t.scale() >= f.precision() - f.scale();
        }
        if (from instanceof PrimitiveType f && to instanceof DecimalType t) {
            int digits = switch (f) {
                case BYTE -> 3;
                case SHORT -> 5;
                case INTEGER -> 10;
                case LONG -> 20;
                default -> -1;
            };
            return digits > 0 && t.precision() - t.scale() >= digits;
        }
        return false;
    }

    static String help() {
        return "the supported widenings are TINYINT -> SMALLINT -> INT -> BIGINT, FLOAT -> DOUBLE, TINYINT/SMALLINT/INT "
                + "-> DOUBLE, DATE -> TIMESTAMP_NTZ, DECIMAL(p,s) -> DECIMAL(p',s') with p' >= p, s' >= s and p'-s' >= p-s, "
                + "and integers to a DECIMAL with enough integer digits (3, 5, 10 or 20)";
    }
}

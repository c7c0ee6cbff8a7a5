package dev.tarn.txlog.types;

/** {@code decimal(precision, scale)}; precision 1 to 38, scale 0 to precision. */
public record DecimalType(int precision, int scale) implements DataType {
    public static final int MAX_PRECISION = 38;

    public DecimalType {
        if (precision < 1 || precision > MAX_PRECISION) {
            throw new IllegalArgumentException("DECIMAL precision must be between 1 and 38, got " + precision);
        }
        if (scale < 0 || scale > precision) {
            throw new IllegalArgumentException(
                    "DECIMAL scale must be between 0 and the precision (" + precision + "), got " + scale);
        }
    }

    @Override
    public String simpleString() {
        return "decimal(" + precision + "," + scale + ")";
    }

    @Override
    public String sqlName() {
        return "DECIMAL(" + precision + "," + scale + ")";
    }
}

package dev.tarn.query.internal.expression;

import java.math.BigDecimal;
import java.math.BigInteger;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;

/**
 * DECIMAL values as unscaled longs, so kernels avoid a BigDecimal per value: Arrow stores every decimal in 16
 * little-endian bytes, and a value whose upper 8 bytes only extend the sign of the lower 8 fits a long (always so
 * for precision up to 18, and for wider types most values in practice). Kernels take this path row by row and fall
 * back to BigDecimal for a row whose value or intermediate result does not fit, so results and errors are the same.
 */
final class DecimalLongs {
    /** 10^0 .. 10^18, every power of ten a long holds. */
    static final long[] POW10 = new long[19];

    static {
        long p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p;
            p *= 10;
        }
    }

    private DecimalLongs() {}

    /** Whether the value at {@code index} of a decimal vector's data buffer fits a long. */
    static boolean fits(ArrowBuf data, int index) {
        long low = data.getLong((long) index * DecimalVector.TYPE_WIDTH);
        long high = data.getLong((long) index * DecimalVector.TYPE_WIDTH + 8);
        return high == (low >> 63);
    }

    /** The lower 8 bytes of the value at {@code index}: the unscaled value when {@link #fits} says so. */
    static long low(ArrowBuf data, int index) {
        return data.getLong((long) index * DecimalVector.TYPE_WIDTH);
    }

    /** {@code value * 10^k} exactly; ArithmeticException on overflow. */
    static long scaleUp(long value, int k) {
        if (k == 0) {
            return value;
        }
        if (k >= POW10.length) {
            if (value == 0) {
                return 0;
            }
            throw new ArithmeticException("overflow");
        }
        return Math.multiplyExact(value, POW10[k]);
    }

    /** {@code value / 10^k} rounded HALF_UP (away from zero on a tie), as BigDecimal.setScale does. */
    static long scaleDownHalfUp(long value, int k) {
        if (k == 0) {
            return value;
        }
        if (k >= POW10.length) {
            // |value| < 9.3 * 10^18 < 0.5 * 10^19: rounds to zero.
            return 0;
        }
        long divisor = POW10[k];
        long quotient = value / divisor;
        long remainder = value % divisor;
        if (2 * Math.abs(remainder) >= divisor) {
            quotient += value < 0 ? -1 : 1;
        }
        return quotient;
    }

    /** Whether an unscaled value has at most {@code precision} digits. */
    static boolean fitsPrecision(long unscaled, int precision) {
        return precision >= POW10.length || (unscaled < POW10[precision] && unscaled > -POW10[precision]);
    }

    /** The unscaled long of a constant at {@code scale} digits, or null when it has more digits or does not fit. */
    static Long unscaled(BigDecimal value, int scale) {
        if (value.scale() > scale) {
            return null;
        }
        BigInteger u = value.setScale(scale).unscaledValue();
        return u.bitLength() < 64 ? u.longValue() : null;
    }

    /**
     * One side of a decimal kernel: a decimal vector, an integer vector (scale 0) or a constant, read as unscaled
     * longs at its own scale.
     */
    static final class Operand {
        private final FieldVector vector;
        private final ArrowBuf decimalData;
        private final BaseIntVector ints;
        private final int scale;
        private final boolean constant;
        private final BigDecimal constantValue;
        private final boolean constantFits;
        private final long constantUnscaled;

        private Operand(FieldVector vector, int scale, BigDecimal constantValue) {
            this.vector = vector;
            this.decimalData = vector instanceof DecimalVector d ? d.getDataBuffer() : null;
            this.ints = vector instanceof BaseIntVector b ? b : null;
            this.constant = vector == null;
            this.constantValue = constantValue;
            if (constant && constantValue != null) {
                BigDecimal c = constantValue.scale() < 0 ? constantValue.setScale(0) : constantValue;
                BigInteger u = c.unscaledValue();
                this.scale = c.scale();
                this.constantFits = u.bitLength() < 64;
                this.constantUnscaled = constantFits ? u.longValue() : 0;
            } else {
                this.scale = scale;
                this.constantFits = false;
                this.constantUnscaled = 0;
            }
        }

        /** A decimal or integer vector, or null when it is neither. */
        static Operand of(FieldVector v) {
            if (v instanceof DecimalVector d) {
                return new Operand(v, d.getScale(), null);
            }
            if (v instanceof BaseIntVector) {
                return new Operand(v, 0, null);
            }
            return null;
        }

        /** A constant (null for NULL), or null when it is not a number of an exact type. */
        static Operand constant(Object value) {
            if (value == null) {
                return new Operand(null, 0, null);
            }
            if (value instanceof BigDecimal d) {
                return new Operand(null, d.scale(), d);
            }
            if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
                return new Operand(null, 0, BigDecimal.valueOf(((Number) value).longValue()));
            }
            return null;
        }

        int scale() {
            return scale;
        }

        /**
         * The memory address of a decimal vector's data when it holds at least {@code n} values, for kernels that
         * read the unscaled longs directly (bounds checked once here instead of per value); else 0.
         */
        long address(int n) {
            return decimalData != null && decimalData.capacity() >= (long) n * DecimalVector.TYPE_WIDTH
                    ? decimalData.memoryAddress() : 0;
        }

        /** Whether this is a non-NULL constant whose unscaled value fits a long ({@link #unscaled} of any row). */
        boolean fittingConstant() {
            return constant && constantValue != null && constantFits;
        }

        /** Whether some row may be NULL (a NULL constant, or a vector with NULLs). */
        boolean mayBeNull() {
            return constant ? constantValue == null : vector.getNullCount() > 0;
        }

        boolean isNull(int i) {
            return constant ? constantValue == null : vector.isNull(i);
        }

        /** Whether {@link #unscaled} holds the value at {@code i} (not null). */
        boolean fits(int i) {
            if (constant) {
                return constantFits;
            }
            return decimalData == null || DecimalLongs.fits(decimalData, i);
        }

        long unscaled(int i) {
            if (constant) {
                return constantUnscaled;
            }
            return decimalData != null ? low(decimalData, i) : ints.getValueAsLong(i);
        }

        BigDecimal big(int i) {
            if (constant) {
                return constantValue;
            }
            return decimalData != null ? ((DecimalVector) vector).getObject(i) : BigDecimal.valueOf(ints.getValueAsLong(i));
        }
    }
}

package dev.tarn.query.internal.expression;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.txlog.types.ArrowTypes;
import dev.tarn.txlog.types.DataType;
import dev.tarn.txlog.types.DecimalType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.NullVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.calcite.avatica.util.ByteString;

/**
 * The canonical Java values kernels compute with, one per Tarn type: BOOLEAN Boolean; TINYINT..BIGINT Long;
 * FLOAT/DOUBLE Double; DECIMAL BigDecimal; STRING String; BINARY ByteString (value equality for hashing); DATE
 * Integer (days since epoch); TIMESTAMP and TIMESTAMP_NTZ Long (microseconds since epoch). Nested values pass
 * through as Arrow's own Java objects. Readers and writers are chosen once per vector, outside the row loop.
 */
public final class Values {
    private Values() {}

    /** Reads one position of a vector; null for SQL NULL. */
    @FunctionalInterface
    public interface Reader {
        Object get(int index);
    }

    /** Writes one position of a vector (growing it as needed); null writes SQL NULL. */
    @FunctionalInterface
    public interface Writer {
        void set(int index, Object value);
    }

    public static FieldVector newVector(String name, DataType type, BufferAllocator allocator, int capacity) {
        FieldVector v = ArrowTypes.toArrowField(name, type, true).createVector(allocator);
        v.setInitialCapacity(Math.max(capacity, 1));
        v.allocateNew();
        return v;
    }

    public static Reader reader(FieldVector v) {
        if (v instanceof BitVector b) {
            return i -> b.isNull(i) ? null : b.get(i) != 0;
        } else if (v instanceof TinyIntVector t) {
            return i -> t.isNull(i) ? null : (Object) (long) t.get(i);
        } else if (v instanceof SmallIntVector t) {
            return i -> t.isNull(i) ? null : (Object) (long) t.get(i);
        } else if (v instanceof IntVector t) {
            return i -> t.isNull(i) ? null : (Object) (long) t.get(i);
        } else if (v instanceof BigIntVector t) {
            return i -> t.isNull(i) ? null : (Object) t.get(i);
        } else if (v instanceof Float4Vector t) {
            return i -> t.isNull(i) ? null : (Object) (double) t.get(i);
        } else if (v instanceof Float8Vector t) {
            return i -> t.isNull(i) ? null : (Object) t.get(i);
        } else if (v instanceof DecimalVector t) {
            return i -> t.isNull(i) ? null : t.getObject(i);
        } else if (v instanceof VarCharVector t) {
            return i -> t.isNull(i) ? null : new String(t.get(i), UTF_8);
        } else if (v instanceof VarBinaryVector t) {
            return i -> t.isNull(i) ? null : new ByteString(t.get(i));
        } else if (v instanceof DateDayVector t) {
            return i -> t.isNull(i) ? null : (Object) t.get(i);
        } else if (v instanceof TimeStampMicroTZVector t) {
            return i -> t.isNull(i) ? null : (Object) t.get(i);
        } else if (v instanceof TimeStampMicroVector t) {
            return i -> t.isNull(i) ? null : (Object) t.get(i);
        } else if (v instanceof NullVector) {
            return i -> null;
        }
        return v::getObject;
    }

    public static Writer writer(FieldVector v) {
        if (v instanceof BitVector b) {
            return (i, x) -> { if (x == null) b.setNull(i); else b.setSafe(i, (Boolean) x ? 1 : 0); };
        } else if (v instanceof TinyIntVector t) {
            return (i, x) -> { if (x == null) t.setNull(i); else t.setSafe(i, (byte) checkRange((Long) x, Byte.MIN_VALUE, Byte.MAX_VALUE, "TINYINT")); };
        } else if (v instanceof SmallIntVector t) {
            return (i, x) -> { if (x == null) t.setNull(i); else t.setSafe(i, (short) checkRange((Long) x, Short.MIN_VALUE, Short.MAX_VALUE, "SMALLINT")); };
        } else if (v instanceof IntVector t) {
            return (i, x) -> { if (x == null) t.setNull(i); else t.setSafe(i, (int) checkRange((Long) x, Integer.MIN_VALUE, Integer.MAX_VALUE, "INT")); };
        } else if (v instanceof BigIntVector t) {
            return (i, x) -> { if (x == null) t.setNull(i); else t.setSafe(i, (Long) x); };
        } else if (v instanceof Float4Vector t) {
            return (i, x) -> { if (x == null) t.setNull(i); else t.setSafe(i, ((Number) x).floatValue()); };
        } else if (v instanceof Float8Vector t) {
            return (i, x) -> { if (x == null) t.setNull(i); else t.setSafe(i, ((Number) x).doubleValue()); };
        } else if (v instanceof DecimalVector t) {
            int scale = t.getScale();
            int precision = t.getPrecision();
            return (i, x) -> {
                if (x == null) {
                    t.setNull(i);
                } else {
                    t.setSafe(i, fitDecimal(toBigDecimal((Number) x), precision, scale));
                }
            };
        } else if (v instanceof VarCharVector t) {
            return (i, x) -> { if (x == null) t.setNull(i); else t.setSafe(i, ((String) x).getBytes(UTF_8)); };
        } else if (v instanceof VarBinaryVector t) {
            return (i, x) -> { if (x == null) t.setNull(i); else t.setSafe(i, ((ByteString) x).getBytes()); };
        } else if (v instanceof DateDayVector t) {
            return (i, x) -> { if (x == null) t.setNull(i); else t.setSafe(i, (Integer) x); };
        } else if (v instanceof TimeStampMicroTZVector t) {
            return (i, x) -> { if (x == null) t.setNull(i); else t.setSafe(i, (Long) x); };
        } else if (v instanceof TimeStampMicroVector t) {
            return (i, x) -> { if (x == null) t.setNull(i); else t.setSafe(i, (Long) x); };
        } else if (v instanceof NullVector) {
            return (i, x) -> {
                if (x != null) {
                    throw new TarnException(ErrorCode.INTERNAL_ERROR, "Non-null value for a VOID column");
                }
            };
        }
        throw new TarnException(ErrorCode.UNSUPPORTED_FEATURE,
                "Computing values of type " + v.getField().getType() + " is not supported yet");
    }

    /**
     * Copies one value between vectors of the same type; a VOID (NullVector) column has nothing to copy, and Arrow's
     * NullVector does not support copying.
     */
    public static void copy(FieldVector from, int fromIndex, FieldVector to, int toIndex) {
        if (!(to instanceof NullVector)) {
            to.copyFromSafe(fromIndex, toIndex, from);
        }
    }

    public static void setNull(FieldVector to, int index) {
        if (!(to instanceof NullVector)) {
            to.setNull(index);
        }
    }

    /** Rounds to the scale (HALF_UP, as Spark) and fails with NUMERIC_OVERFLOW when the precision is exceeded. */
    public static BigDecimal fitDecimal(BigDecimal value, int precision, int scale) {
        BigDecimal scaled = value.scale() == scale ? value : value.setScale(scale, RoundingMode.HALF_UP);
        if (scaled.precision() - scaled.scale() > precision - scale) {
            throw new TarnException(ErrorCode.NUMERIC_OVERFLOW,
                    "Value " + value.toPlainString() + " does not fit DECIMAL(" + precision + "," + scale + ")");
        }
        return scaled;
    }

    public static BigDecimal fitDecimal(BigDecimal value, DecimalType type) {
        return fitDecimal(value, type.precision(), type.scale());
    }

    static long checkRange(long value, long min, long max, String type) {
        if (value < min || value > max) {
            throw new TarnException(ErrorCode.NUMERIC_OVERFLOW, "Numeric overflow: value " + value + " is out of range for " + type);
        }
        return value;
    }

    /**
     * Orders two non-null canonical values of comparable types (numbers of any kind compare numerically, strings
     * by code point).
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static int compare(Object a, Object b) {
        if (a instanceof Long x && b instanceof Long y) {
            return Long.compare(x, y);
        }
        if (a instanceof Number x && b instanceof Number y) {
            if (x instanceof BigDecimal || y instanceof BigDecimal) {
                if (!(x instanceof Double) && !(y instanceof Double)) {
                    return toBigDecimal(x).compareTo(toBigDecimal(y));
                }
            }
            if (x instanceof Integer || y instanceof Integer) {
                return Long.compare(x.longValue(), y.longValue());
            }
            return Double.compare(x.doubleValue(), y.doubleValue());
        }
        if (a instanceof String x && b instanceof String y) {
            return compareCodePoints(x, y);
        }
        return ((Comparable) a).compareTo(b);
    }

    /** Strings order by code point (= UTF-8 byte order, as Spark), not by UTF-16 unit as String.compareTo. */
    static int compareCodePoints(String x, String y) {
        int n = Math.min(x.length(), y.length());
        for (int i = 0; i < n; i++) {
            char a = x.charAt(i);
            char b = y.charAt(i);
            if (a != b) {
                if (Character.isSurrogate(a) || Character.isSurrogate(b)) {
                    return Integer.compare(x.codePointAt(i), y.codePointAt(i));
                }
                return a < b ? -1 : 1;
            }
        }
        return Integer.compare(x.length(), y.length());
    }

    public static BigDecimal toBigDecimal(Number n) {
        if (n instanceof BigDecimal d) {
            return d;
        }
        if (n instanceof Double || n instanceof Float) {
            return BigDecimal.valueOf(n.doubleValue());
        }
        return BigDecimal.valueOf(n.longValue());
    }
}

package dev.tarn.query.internal.write;

import dev.tarn.txlog.types.DataType;
import dev.tarn.txlog.types.DecimalType;
import dev.tarn.txlog.types.PrimitiveType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * Primitive cells as the Java values Tarn uses for partition values and literals (the classes listed on
 * {@link dev.tarn.query.internal.catalog.PushedFilter}), in Tarn's Arrow mapping. Used only for partition columns:
 * once per row when splitting a batch by partition, once per batch when filling a constant column.
 */
public final class JavaValues {
    private JavaValues() {}

    /** The value at {@code row}, or null. */
    public static Object get(FieldVector v, int row, DataType type) {
        if (v.isNull(row)) {
            return null;
        }
        if (type instanceof DecimalType) {
            return ((DecimalVector) v).getObject(row);
        }
        return switch ((PrimitiveType) type) {
            case BOOLEAN -> ((BitVector) v).get(row) != 0;
            case BYTE -> ((TinyIntVector) v).get(row);
            case SHORT -> ((SmallIntVector) v).get(row);
            case INTEGER -> ((IntVector) v).get(row);
            case LONG -> ((BigIntVector) v).get(row);
            case FLOAT -> ((Float4Vector) v).get(row);
            case DOUBLE -> ((Float8Vector) v).get(row);
            case STRING -> new String(((VarCharVector) v).get(row), StandardCharsets.UTF_8);
            case BINARY -> ((VarBinaryVector) v).get(row);
            case DATE -> LocalDate.ofEpochDay(((DateDayVector) v).get(row));
            case TIMESTAMP -> {
                long micros = ((TimeStampVector) v).get(row);
                yield Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
            }
            case TIMESTAMP_NTZ -> {
                long micros = ((TimeStampVector) v).get(row);
                yield LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                        (int) Math.floorMod(micros, 1_000_000L) * 1000, ZoneOffset.UTC);
            }
            case VOID -> null;
        };
    }

    /** Fills {@code rows} cells of a freshly created vector with one value (null leaves them null). */
    public static void fill(FieldVector v, Object value, int rows, DataType type) {
        v.setInitialCapacity(Math.max(rows, 1));
        v.allocateNew();
        if (value != null) {
            if (type instanceof DecimalType d) {
                BigDecimal bd = ((BigDecimal) value).setScale(d.scale(), RoundingMode.UNNECESSARY);
                DecimalVector dv = (DecimalVector) v;
                for (int i = 0; i < rows; i++) {
                    dv.setSafe(i, bd);
                }
            } else {
                fillPrimitive(v, value, rows, (PrimitiveType) type);
            }
        }
        v.setValueCount(rows);
    }

    private static void fillPrimitive(FieldVector v, Object value, int rows, PrimitiveType type) {
        switch (type) {
            case BOOLEAN -> {
                int b = ((Boolean) value) ? 1 : 0;
                for (int i = 0; i < rows; i++) {
                    ((BitVector) v).setSafe(i, b);
                }
            }
            case BYTE -> {
                byte b = ((Number) value).byteValue();
                for (int i = 0; i < rows; i++) {
                    ((TinyIntVector) v).setSafe(i, b);
                }
            }
            case SHORT -> {
                short s = ((Number) value).shortValue();
                for (int i = 0; i < rows; i++) {
                    ((SmallIntVector) v).setSafe(i, s);
                }
            }
            case INTEGER -> {
                int n = ((Number) value).intValue();
                for (int i = 0; i < rows; i++) {
                    ((IntVector) v).setSafe(i, n);
                }
            }
            case LONG -> {
                long n = ((Number) value).longValue();
                for (int i = 0; i < rows; i++) {
                    ((BigIntVector) v).setSafe(i, n);
                }
            }
            case FLOAT -> {
                float f = ((Number) value).floatValue();
                for (int i = 0; i < rows; i++) {
                    ((Float4Vector) v).setSafe(i, f);
                }
            }
            case DOUBLE -> {
                double d = ((Number) value).doubleValue();
                for (int i = 0; i < rows; i++) {
                    ((Float8Vector) v).setSafe(i, d);
                }
            }
            case STRING -> {
                byte[] bytes = value.toString().getBytes(StandardCharsets.UTF_8);
                for (int i = 0; i < rows; i++) {
                    ((VarCharVector) v).setSafe(i, bytes);
                }
            }
            case BINARY -> {
                byte[] bytes = (byte[]) value;
                for (int i = 0; i < rows; i++) {
                    ((VarBinaryVector) v).setSafe(i, bytes);
                }
            }
            case DATE -> {
                int days = (int) ((LocalDate) value).toEpochDay();
                for (int i = 0; i < rows; i++) {
                    ((DateDayVector) v).setSafe(i, days);
                }
            }
            case TIMESTAMP, TIMESTAMP_NTZ -> {
                long micros = micros(value);
                for (int i = 0; i < rows; i++) {
                    ((TimeStampVector) v).setSafe(i, micros);
                }
            }
            case VOID -> { }
        }
    }

    private static long micros(Object value) {
        if (value instanceof Instant inst) {
            return Math.addExact(Math.multiplyExact(inst.getEpochSecond(), 1_000_000L), inst.getNano() / 1000);
        }
        if (value instanceof LocalDateTime ldt) {
            return micros(ldt.toInstant(ZoneOffset.UTC));
        }
        return ((Number) value).longValue();
    }
}

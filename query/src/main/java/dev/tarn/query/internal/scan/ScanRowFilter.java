package dev.tarn.query.internal.scan;

import dev.tarn.query.internal.catalog.PushedFilter;
import dev.tarn.storage.parquet.ParquetRowFilter;
import dev.tarn.txlog.types.DataType;
import dev.tarn.txlog.types.DecimalType;
import dev.tarn.txlog.types.PrimitiveType;
import dev.tarn.txlog.types.StructField;
import dev.tarn.txlog.types.StructType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The pushed filters a scan can evaluate on the stored columns as the Parquet reader decodes them (late
 * materialization, {@link ParquetRowFilter}): comparisons and IN lists of integer, DATE and DECIMAL columns with
 * exact literals, string equality and IN, IS [NOT] NULL. Each narrows a selection vector in a tight loop over the
 * Arrow buffers. A filter it cannot evaluate exactly is left to the query's filter operator, which always runs
 * above the scan, so this only ever removes rows the query would drop anyway (a comparison is never TRUE for NULL).
 */
final class ScanRowFilter implements ParquetRowFilter {
    /** Narrows {@code selection[0..count)} of {@code vector} to the rows passing; returns the new count. */
    private interface Kernel {
        int refine(FieldVector vector, int[] selection, int count);
    }

    private record Bound(int column, Kernel kernel) {}

    private final List<Bound> bounds;
    private final int[] columns;

    private ScanRowFilter(List<Bound> bounds) {
        this.bounds = bounds;
        this.columns = bounds.stream().mapToInt(Bound::column).distinct().toArray();
    }

    /**
     * The filters among {@code filters} evaluable on {@code stored} (the columns a scan reads from its files, in
     * request order), or empty when there are none. Partition columns are not stored and never match.
     */
    static Optional<ScanRowFilter> of(StructType schema, StructType stored, List<PushedFilter> filters) {
        List<Bound> bounds = new ArrayList<>();
        for (PushedFilter f : filters) {
            StructField field = schema.fields().get(f.column());
            int column = stored.fields().indexOf(field);
            if (column < 0) {
                continue;
            }
            Kernel k = kernel(field.type(), f);
            if (k != null) {
                bounds.add(new Bound(column, k));
            }
        }
        return bounds.isEmpty() ? Optional.empty() : Optional.of(new ScanRowFilter(List.copyOf(bounds)));
    }

    @Override
    public int[] columns() {
        return columns.clone();
    }

    @Override
    public int select(VectorSchemaRoot batch, int rows, int[] selection) {
        for (int i = 0; i < rows; i++) {
            selection[i] = i;
        }
        int count = rows;
        for (Bound b : bounds) {
            if (count == 0) {
                break;
            }
            count = b.kernel().refine(batch.getVector(b.column()), selection, count);
        }
        return count;
    }

    private static Kernel kernel(DataType type, PushedFilter f) {
        if (f.op() == PushedFilter.Op.IS_NULL) {
            return (v, sel, n) -> keepNulls(v, sel, n, true);
        }
        if (f.op() == PushedFilter.Op.IS_NOT_NULL) {
            return (v, sel, n) -> keepNulls(v, sel, n, false);
        }
        List<Object> values = f.values();
        if (values.isEmpty() || values.stream().anyMatch(java.util.Objects::isNull)) {
            return null;
        }
        if (type instanceof DecimalType d) {
            return f.op() == PushedFilter.Op.IN ? longIn(values, o -> unscaled(o, d.scale()), 16)
                    : decimalCompare(f.op(), values.get(0), d.scale());
        }
        if (!(type instanceof PrimitiveType p)) {
            return null;
        }
        return switch (p) {
            case BYTE, SHORT, INTEGER, LONG, DATE -> {
                int width = switch (p) {
                    case BYTE -> 1;
                    case SHORT -> 2;
                    case INTEGER, DATE -> 4;
                    default -> 8;
                };
                java.util.function.Function<Object, Long> asLong = p == PrimitiveType.DATE
                        ? o -> o instanceof LocalDate day ? day.toEpochDay() : null
                        : ScanRowFilter::integral;
                if (f.op() == PushedFilter.Op.IN) {
                    yield longIn(values, asLong, width);
                }
                Long c = asLong.apply(values.get(0));
                yield c == null ? null : longCompare(f.op(), c, width);
            }
            case STRING -> {
                if (f.op() != PushedFilter.Op.EQ && f.op() != PushedFilter.Op.IN) {
                    yield null;
                }
                List<byte[]> wanted = new ArrayList<>();
                for (Object o : values) {
                    if (!(o instanceof String s)) {
                        yield null;
                    }
                    wanted.add(s.getBytes(StandardCharsets.UTF_8));
                }
                yield (v, sel, n) -> stringIn(v, sel, n, wanted.toArray(new byte[0][]));
            }
            default -> null;
        };
    }

    private static Long integral(Object o) {
        if (o instanceof Long || o instanceof Integer || o instanceof Short || o instanceof Byte) {
            return ((Number) o).longValue();
        }
        if (o instanceof BigDecimal b) {
            try {
                return b.longValueExact();
            } catch (ArithmeticException e) {
                return null;
            }
        }
        return null;
    }

    /** The literal's unscaled value at {@code scale} when exact and within a long, else null. */
    private static Long unscaled(Object o, int scale) {
        BigDecimal b = decimal(o);
        if (b == null) {
            return null;
        }
        try {
            return b.setScale(scale, RoundingMode.UNNECESSARY).unscaledValue().longValueExact();
        } catch (ArithmeticException e) {
            return null;
        }
    }

    private static BigDecimal decimal(Object o) {
        if (o instanceof BigDecimal b) {
            return b;
        }
        Long l = integral(o);
        return l == null ? null : BigDecimal.valueOf(l);
    }

    /**
     * A comparison of a DECIMAL column of {@code scale} with a literal, on unscaled longs: a literal with more
     * digits than the scale becomes the nearest bound that keeps the same rows ({@code x < 1.005} at scale 2 is
     * {@code x <= 1.00}); equality with such a literal is left to the filter operator.
     */
    private static Kernel decimalCompare(PushedFilter.Op op, Object literal, int scale) {
        BigDecimal b = decimal(literal);
        if (b == null) {
            return null;
        }
        BigDecimal shifted = b.movePointRight(scale);
        PushedFilter.Op effective = op;
        BigDecimal bound = shifted;
        if (shifted.stripTrailingZeros().scale() > 0) {
            switch (op) {
                case LT, LE -> {
                    bound = shifted.setScale(0, RoundingMode.FLOOR);
                    effective = PushedFilter.Op.LE;
                }
                case GT, GE -> {
                    bound = shifted.setScale(0, RoundingMode.CEILING);
                    effective = PushedFilter.Op.GE;
                }
                default -> {
                    return null;
                }
            }
        }
        long c;
        try {
            c = bound.setScale(0, RoundingMode.UNNECESSARY).longValueExact();
        } catch (ArithmeticException e) {
            return null;
        }
        return longCompare(effective, c, 16);
    }

    // ---- kernels ----

    private static boolean isValid(ArrowBuf validity, int row) {
        return ((validity.getByte(row >>> 3) >>> (row & 7)) & 1) != 0;
    }

    private static int keepNulls(FieldVector v, int[] sel, int n, boolean nulls) {
        if (v.getNullCount() == 0) {
            return nulls ? 0 : n;
        }
        ArrowBuf validity = v.getValidityBuffer();
        int out = 0;
        for (int i = 0; i < n; i++) {
            int r = sel[i];
            if (isValid(validity, r) != nulls) {
                sel[out++] = r;
            }
        }
        return out;
    }

    /**
     * The value of row {@code r} of a fixed-width integer vector of {@code width} bytes (16: a decimal, whose value
     * must fit in its low 64 bits; {@link #WIDE} otherwise).
     */
    private static long value(ArrowBuf data, int r, int width) {
        return switch (width) {
            case 1 -> data.getByte(r);
            case 2 -> data.getShort((long) r * 2);
            case 4 -> data.getInt((long) r * 4);
            case 8 -> data.getLong((long) r * 8);
            default -> {
                long low = data.getLong((long) r * 16);
                yield data.getLong((long) r * 16 + 8) == (low >> 63) ? low : WIDE;
            }
        };
    }

    /** Stands for a decimal beyond 64 bits, which the kernels keep (the filter operator decides). */
    private static final long WIDE = Long.MIN_VALUE;

    private static Kernel longCompare(PushedFilter.Op op, long c, int width) {
        if (c == WIDE && width == 16) {
            return null;
        }
        return (v, sel, n) -> {
            if (!(v instanceof BaseFixedWidthVector fixed) || fixed.getTypeWidth() != width) {
                return n; // not the representation this kernel reads: leave the rows to the filter operator
            }
            ArrowBuf data = v.getDataBuffer();
            boolean nulls = v.getNullCount() > 0;
            ArrowBuf validity = v.getValidityBuffer();
            int out = 0;
            for (int i = 0; i < n; i++) {
                int r = sel[i];
                if (nulls && !isValid(validity, r)) {
                    continue;
                }
                long x = value(data, r, width);
                boolean keep = switch (op) {
                    case EQ -> x == c;
                    case NE -> x != c;
                    case LT -> x < c;
                    case LE -> x <= c;
                    case GT -> x > c;
                    case GE -> x >= c;
                    default -> true;
                };
                if (keep || (width == 16 && x == WIDE)) {
                    sel[out++] = r;
                }
            }
            return out;
        };
    }

    private static Kernel longIn(List<Object> values, java.util.function.Function<Object, Long> asLong, int width) {
        long[] wanted = new long[values.size()];
        for (int i = 0; i < wanted.length; i++) {
            Long c = asLong.apply(values.get(i));
            if (c == null || (c == WIDE && width == 16)) {
                return null;
            }
            wanted[i] = c;
        }
        Arrays.sort(wanted);
        return (v, sel, n) -> {
            if (!(v instanceof BaseFixedWidthVector fixed) || fixed.getTypeWidth() != width) {
                return n; // not the representation this kernel reads: leave the rows to the filter operator
            }
            ArrowBuf data = v.getDataBuffer();
            boolean nulls = v.getNullCount() > 0;
            ArrowBuf validity = v.getValidityBuffer();
            int out = 0;
            for (int i = 0; i < n; i++) {
                int r = sel[i];
                if (nulls && !isValid(validity, r)) {
                    continue;
                }
                long x = value(data, r, width);
                if (Arrays.binarySearch(wanted, x) >= 0 || (width == 16 && x == WIDE)) {
                    sel[out++] = r;
                }
            }
            return out;
        };
    }

    private static int stringIn(FieldVector v, int[] sel, int n, byte[][] wanted) {
        if (!(v instanceof BaseVariableWidthVector)) {
            return n;
        }
        ArrowBuf data = v.getDataBuffer();
        ArrowBuf offsets = v.getOffsetBuffer();
        boolean nulls = v.getNullCount() > 0;
        ArrowBuf validity = v.getValidityBuffer();
        int out = 0;
        for (int i = 0; i < n; i++) {
            int r = sel[i];
            if (nulls && !isValid(validity, r)) {
                continue;
            }
            int start = offsets.getInt((long) r * 4);
            int len = offsets.getInt((long) r * 4 + 4) - start;
            for (byte[] w : wanted) {
                if (w.length == len && equalBytes(data, start, w)) {
                    sel[out++] = r;
                    break;
                }
            }
        }
        return out;
    }

    private static boolean equalBytes(ArrowBuf data, int start, byte[] w) {
        for (int j = 0; j < w.length; j++) {
            if (data.getByte(start + j) != w[j]) {
                return false;
            }
        }
        return true;
    }
}

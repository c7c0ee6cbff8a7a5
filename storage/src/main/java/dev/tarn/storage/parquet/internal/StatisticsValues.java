package dev.tarn.storage.parquet.internal;

import dev.tarn.storage.parquet.ColumnStatistics;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;

/** Turns Parquet column-chunk statistics into the Java value classes Tarn uses for min/max. */
public final class StatisticsValues {
    private StatisticsValues() {}

    /** Statistics of every leaf column of one row group that is not inside a repeated field. */
    public static List<ColumnStatistics> rowGroupStatistics(BlockMetaData block, MessageType schema) {
        List<ColumnStatistics> result = new ArrayList<>();
        for (ColumnChunkMetaData c : block.getColumns()) {
            String[] path = c.getPath().toArray();
            Statistics<?> s = c.getStatistics();
            if (s == null || !schema.containsPath(path) || schema.getColumnDescription(path).getMaxRepetitionLevel() > 0) {
                continue;
            }
            PrimitiveType type = c.getPrimitiveType();
            ArrowType arrow = ParquetSchemas.primitiveArrowType(type);
            result.add(toColumnStatistics(List.of(path), arrow, type, s));
        }
        return result;
    }

    public static ColumnStatistics toColumnStatistics(List<String> path, ArrowType arrow, PrimitiveType type,
                                                      Statistics<?> s) {
        long nulls = s.isNumNullsSet() ? s.getNumNulls() : -1;
        Object min = null;
        Object max = null;
        if (s.hasNonNullValue() && !s.isEmpty() && !(arrow instanceof ArrowType.Binary)) {
            min = toJava(arrow, type, s.genericGetMin());
            max = toJava(arrow, type, s.genericGetMax());
            if (isNaN(min) || isNaN(max)) {
                min = null;
                max = null;
            }
        }
        return new ColumnStatistics(path, min, max, nulls);
    }

    private static boolean isNaN(Object o) {
        return (o instanceof Float f && f.isNaN()) || (o instanceof Double d && d.isNaN());
    }

    /** One statistics value (Integer, Long, Float, Double, Boolean or Binary from parquet) as a Java value. */
    public static Object toJava(ArrowType arrow, PrimitiveType type, Object v) {
        if (v == null) {
            return null;
        }
        switch (arrow.getTypeID()) {
            case Bool:
                return v;
            case Int: {
                int width = ((ArrowType.Int) arrow).getBitWidth();
                long l = ((Number) v).longValue();
                if (type.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation it
                        && !it.isSigned() && type.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.INT32) {
                    l = Integer.toUnsignedLong((int) l);
                }
                return switch (width) {
                    case 8 -> (byte) l;
                    case 16 -> (short) l;
                    case 32 -> (int) l;
                    default -> l;
                };
            }
            case FloatingPoint:
                return v;
            case Decimal: {
                int scale = ((ArrowType.Decimal) arrow).getScale();
                if (v instanceof Binary b) {
                    return new BigDecimal(new BigInteger(b.getBytes()), scale);
                }
                return BigDecimal.valueOf(((Number) v).longValue(), scale);
            }
            case Utf8:
                return ((Binary) v).toStringUsingUTF8();
            case Binary:
                return ((Binary) v).getBytes();
            case Date:
                return LocalDate.ofEpochDay(((Number) v).intValue());
            case Timestamp: {
                long micros;
                if (v instanceof Binary b) {
                    micros = Int96.toMicros(b);
                } else {
                    micros = toMicros(type, ((Number) v).longValue());
                }
                if (((ArrowType.Timestamp) arrow).getTimezone() != null) {
                    return Instant.EPOCH.plus(micros, java.time.temporal.ChronoUnit.MICROS);
                }
                return LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                        (int) Math.floorMod(micros, 1_000_000L) * 1000, ZoneOffset.UTC);
            }
            default:
                return null;
        }
    }

    /** An INT64 timestamp in the column's unit, as microseconds. */
    public static long toMicros(PrimitiveType type, long value) {
        if (type.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts) {
            return switch (ts.getUnit()) {
                case MILLIS -> value * 1000L;
                case MICROS -> value;
                case NANOS -> Math.floorDiv(value, 1000L);
            };
        }
        return value;
    }
}

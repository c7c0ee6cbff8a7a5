package dev.tarn.storage.parquet.internal;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
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
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * Copies one leaf's buffered values into an Arrow vector of the requested type, converting where Parquet stores the
 * value differently (INT96 and millisecond/nanosecond timestamps, decimals in any physical type) and widening
 * where the requested type is wider than the file's (Delta type widening: int to long, float to double, integer to
 * double or decimal, decimal precision and scale, date to timestamp_ntz).
 */
public abstract class LeafDecoder {
    private static final long MICROS_PER_DAY = 86_400_000_000L;

    /** Writes {@code count} positions; position j holds the value of entry {@code slots[j]} or null. */
    final void decode(FieldVector vector, LeafColumn c, int[] slots, int count) {
        int[] def = c.def;
        int maxDef = c.maxDef;
        int vi = 0;
        for (int j = 0; j < count; j++) {
            if (def[slots[j]] == maxDef) {
                set(vector, c, j, vi++);
            } else {
                vector.setNull(j);
            }
        }
    }

    abstract void set(FieldVector vector, LeafColumn c, int index, int valueIndex);

    /** The decoder for a file column read as the requested Arrow type, or TYPE_MISMATCH. */
    public static LeafDecoder create(ArrowType target, PrimitiveType source, String file, String column) {
        PrimitiveTypeName p = source.getPrimitiveTypeName();
        LogicalTypeAnnotation lt = source.getLogicalTypeAnnotation();
        int sourceScale = lt instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation d ? d.getScale() : 0;
        boolean sourceDecimal = lt instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
        switch (target.getTypeID()) {
            case Bool:
                if (p == PrimitiveTypeName.BOOLEAN) {
                    return new LeafDecoder() {
                        @Override
                        void set(FieldVector v, LeafColumn c, int i, int vi) {
                            ((BitVector) v).set(i, c.booleans[vi] ? 1 : 0);
                        }
                    };
                }
                break;
            case Int: {
                if (sourceDecimal) {
                    break;
                }
                int width = ((ArrowType.Int) target).getBitWidth();
                if (p == PrimitiveTypeName.INT32) {
                    boolean unsigned = lt instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation it && !it.isSigned();
                    int sourceWidth = lt instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation it ? it.getBitWidth() : 32;
                    if (lt != null && !(lt instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation)
                            || width < sourceWidth || (unsigned && width == sourceWidth)) {
                        break; // narrowing, or a date/other annotation: not an integer read
                    }
                    switch (width) {
                        case 8:
                            return new LeafDecoder() {
                                @Override
                                void set(FieldVector v, LeafColumn c, int i, int vi) {
                                    ((TinyIntVector) v).set(i, (byte) c.ints[vi]);
                                }
                            };
                        case 16:
                            return new LeafDecoder() {
                                @Override
                                void set(FieldVector v, LeafColumn c, int i, int vi) {
                                    ((SmallIntVector) v).set(i, (short) c.ints[vi]);
                                }
                            };
                        case 32:
                            return new LeafDecoder() {
                                @Override
                                void set(FieldVector v, LeafColumn c, int i, int vi) {
                                    ((IntVector) v).set(i, c.ints[vi]);
                                }
                            };
                        default:
                            return unsigned ? new LeafDecoder() {
                                @Override
                                void set(FieldVector v, LeafColumn c, int i, int vi) {
                                    ((BigIntVector) v).set(i, Integer.toUnsignedLong(c.ints[vi]));
                                }
                            } : new LeafDecoder() {
                                @Override
                                void set(FieldVector v, LeafColumn c, int i, int vi) {
                                    ((BigIntVector) v).set(i, c.ints[vi]);
                                }
                            };
                    }
                }
                if (p == PrimitiveTypeName.INT64 && width == 64
                        && !(lt instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation)) {
                    return new LeafDecoder() {
                        @Override
                        void set(FieldVector v, LeafColumn c, int i, int vi) {
                            ((BigIntVector) v).set(i, c.longs[vi]);
                        }
                    };
                }
                break;
            }
            case FloatingPoint: {
                if (sourceDecimal) {
                    break;
                }
                boolean dbl = ((ArrowType.FloatingPoint) target).getPrecision() == FloatingPointPrecision.DOUBLE;
                if (!dbl && p == PrimitiveTypeName.FLOAT) {
                    return new LeafDecoder() {
                        @Override
                        void set(FieldVector v, LeafColumn c, int i, int vi) {
                            ((Float4Vector) v).set(i, c.floats[vi]);
                        }
                    };
                }
                if (dbl) {
                    switch (p) {
                        case DOUBLE:
                            return new LeafDecoder() {
                                @Override
                                void set(FieldVector v, LeafColumn c, int i, int vi) {
                                    ((Float8Vector) v).set(i, c.doubles[vi]);
                                }
                            };
                        case FLOAT:
                            return new LeafDecoder() {
                                @Override
                                void set(FieldVector v, LeafColumn c, int i, int vi) {
                                    ((Float8Vector) v).set(i, c.floats[vi]);
                                }
                            };
                        case INT32:
                            return new LeafDecoder() {
                                @Override
                                void set(FieldVector v, LeafColumn c, int i, int vi) {
                                    ((Float8Vector) v).set(i, c.ints[vi]);
                                }
                            };
                        case INT64:
                            if (lt == null || lt instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation) {
                                return new LeafDecoder() {
                                    @Override
                                    void set(FieldVector v, LeafColumn c, int i, int vi) {
                                        ((Float8Vector) v).set(i, (double) c.longs[vi]);
                                    }
                                };
                            }
                            break;
                        default:
                            break;
                    }
                }
                break;
            }
            case Decimal: {
                ArrowType.Decimal d = (ArrowType.Decimal) target;
                boolean integral = (p == PrimitiveTypeName.INT32 || p == PrimitiveTypeName.INT64)
                        && (sourceDecimal || lt == null || lt instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation);
                boolean binary = sourceDecimal
                        && (p == PrimitiveTypeName.BINARY || p == PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY);
                if ((integral || binary) && d.getScale() >= sourceScale) {
                    return decimal(p, sourceScale, d.getScale());
                }
                break;
            }
            case Utf8:
            case Binary:
                if (p == PrimitiveTypeName.BINARY || p == PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY) {
                    if (sourceDecimal) {
                        break;
                    }
                    return new LeafDecoder() {
                        @Override
                        void set(FieldVector v, LeafColumn c, int i, int vi) {
                            ByteBuffer b = c.binaries[vi].toByteBuffer();
                            if (v instanceof VarCharVector vc) {
                                vc.setSafe(i, b, b.position(), b.remaining());
                            } else {
                                ((VarBinaryVector) v).setSafe(i, b, b.position(), b.remaining());
                            }
                        }
                    };
                }
                break;
            case Date:
                if (((ArrowType.Date) target).getUnit() == DateUnit.DAY && p == PrimitiveTypeName.INT32
                        && lt instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
                    return new LeafDecoder() {
                        @Override
                        void set(FieldVector v, LeafColumn c, int i, int vi) {
                            ((DateDayVector) v).set(i, c.ints[vi]);
                        }
                    };
                }
                break;
            case Timestamp: {
                ArrowType.Timestamp ts = (ArrowType.Timestamp) target;
                if (ts.getUnit() != TimeUnit.MICROSECOND) {
                    break;
                }
                if (p == PrimitiveTypeName.INT96) {
                    return new LeafDecoder() {
                        @Override
                        void set(FieldVector v, LeafColumn c, int i, int vi) {
                            ((TimeStampVector) v).set(i, Int96.toMicros(c.binaries[vi]));
                        }
                    };
                }
                if (p == PrimitiveTypeName.INT64 && lt instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation t) {
                    long factor = switch (t.getUnit()) {
                        case MILLIS -> 1000L;
                        case MICROS -> 1L;
                        case NANOS -> -1000L;
                    };
                    return new LeafDecoder() {
                        @Override
                        void set(FieldVector v, LeafColumn c, int i, int vi) {
                            long raw = c.longs[vi];
                            ((TimeStampVector) v).set(i, factor > 0 ? raw * factor : Math.floorDiv(raw, -factor));
                        }
                    };
                }
                if (p == PrimitiveTypeName.INT32 && lt instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation
                        && ts.getTimezone() == null) {
                    return new LeafDecoder() {
                        @Override
                        void set(FieldVector v, LeafColumn c, int i, int vi) {
                            ((TimeStampVector) v).set(i, c.ints[vi] * MICROS_PER_DAY);
                        }
                    };
                }
                break;
            }
            default:
                break;
        }
        throw new TarnException(ErrorCode.TYPE_MISMATCH, "Column " + column + " of " + file + " is stored as " + source
                + " and cannot be read as " + target);
    }

    private static LeafDecoder decimal(PrimitiveTypeName p, int sourceScale, int targetScale) {
        if (sourceScale == targetScale) {
            return switch (p) {
                case INT32 -> new LeafDecoder() {
                    @Override
                    void set(FieldVector v, LeafColumn c, int i, int vi) {
                        ((DecimalVector) v).set(i, (long) c.ints[vi]);
                    }
                };
                case INT64 -> new LeafDecoder() {
                    @Override
                    void set(FieldVector v, LeafColumn c, int i, int vi) {
                        ((DecimalVector) v).set(i, c.longs[vi]);
                    }
                };
                default -> new LeafDecoder() {
                    @Override
                    void set(FieldVector v, LeafColumn c, int i, int vi) {
                        ((DecimalVector) v).setBigEndian(i, c.binaries[vi].getBytesUnsafe());
                    }
                };
            };
        }
        // Rescaling (decimal widening) is rare: go through BigDecimal.
        return new LeafDecoder() {
            @Override
            void set(FieldVector v, LeafColumn c, int i, int vi) {
                BigInteger unscaled = switch (p) {
                    case INT32 -> BigInteger.valueOf(c.ints[vi]);
                    case INT64 -> BigInteger.valueOf(c.longs[vi]);
                    default -> new BigInteger(c.binaries[vi].getBytesUnsafe());
                };
                ((DecimalVector) v).set(i, new BigDecimal(unscaled, sourceScale).setScale(targetScale));
            }
        };
    }
}

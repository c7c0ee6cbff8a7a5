package dev.tarn.jdbc.internal;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.txlog.types.ArrayType;
import dev.tarn.txlog.types.DataType;
import dev.tarn.txlog.types.DecimalType;
import dev.tarn.txlog.types.MapType;
import dev.tarn.txlog.types.PrimitiveType;
import dev.tarn.txlog.types.StructType;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.MapVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.calcite.avatica.util.StructImpl;

/**
 * Turns Arrow result batches into the row arrays Avatica frames carry, with the Java classes {@link JdbcTypes}
 * promises. TIMESTAMP (an instant) becomes the wall-clock time in the connection's zone as a
 * {@link Timestamp#valueOf(LocalDateTime)}; TIMESTAMP_NTZ its own wall-clock time; both keep microseconds.
 */
public final class ArrowRows {
    private ArrowRows() {}

    /** Reads one value of a vector. */
    interface Reader {
        Object read(int index);
    }

    /** Readers for each column of a batch, in column order. */
    static Reader[] readers(VectorSchemaRoot batch, List<DataType> types, ZoneId zone) {
        List<FieldVector> vectors = batch.getFieldVectors();
        if (vectors.size() != types.size()) {
            throw new TarnException(ErrorCode.INTERNAL_ERROR, "Result batch has " + vectors.size()
                    + " columns but the statement declared " + types.size());
        }
        Reader[] readers = new Reader[types.size()];
        for (int i = 0; i < readers.length; i++) {
            readers[i] = reader(vectors.get(i), types.get(i), zone, false);
        }
        return readers;
    }

    /** Rows {@code from} (inclusive) to {@code to} (exclusive) as Object arrays. */
    static List<Object> rows(Reader[] readers, int from, int to) {
        List<Object> rows = new ArrayList<>(to - from);
        for (int r = from; r < to; r++) {
            Object[] row = new Object[readers.length];
            for (int c = 0; c < readers.length; c++) {
                row[c] = readers[c].read(r);
            }
            rows.add(row);
        }
        return rows;
    }

    /**
     * A reader for one vector. Avatica's accessors turn top-level (and array-element) STRUCT Lists into
     * java.sql.Struct and ARRAY Lists into java.sql.Array; inside a MAP or a STRUCT no accessor runs, so there
     * ({@code opaque}) STRUCT values become java.sql.Struct directly and ARRAY values stay java.util.List.
     */
    static Reader reader(ValueVector vector, DataType type, ZoneId zone, boolean opaque) {
        requireNonNull(vector, "vector is null");
        Reader values = valueReader(vector, type, zone, opaque);
        return i -> vector.isNull(i) ? null : values.read(i);
    }

    private static Reader valueReader(ValueVector vector, DataType type, ZoneId zone, boolean opaque) {
        if (type instanceof DecimalType) {
            DecimalVector v = (DecimalVector) vector;
            return v::getObject;
        }
        if (type instanceof ArrayType a) {
            ListVector v = (ListVector) vector;
            Reader element = reader(v.getDataVector(), a.elementType(), zone, opaque);
            return i -> {
                int start = v.getElementStartIndex(i);
                int end = v.getElementEndIndex(i);
                List<Object> out = new ArrayList<>(end - start);
                for (int j = start; j < end; j++) {
                    out.add(element.read(j));
                }
                return Collections.unmodifiableList(out);
            };
        }
        if (type instanceof MapType m) {
            MapVector v = (MapVector) vector;
            StructVector entries = (StructVector) v.getDataVector();
            Reader key = reader(entries.getChildByOrdinal(0), m.keyType(), zone, true);
            Reader value = reader(entries.getChildByOrdinal(1), m.valueType(), zone, true);
            return i -> {
                Map<Object, Object> out = new LinkedHashMap<>();
                for (int j = v.getElementStartIndex(i); j < v.getElementEndIndex(i); j++) {
                    out.put(key.read(j), value.read(j));
                }
                return Collections.unmodifiableMap(out);
            };
        }
        if (type instanceof StructType s) {
            StructVector v = (StructVector) vector;
            Reader[] fields = new Reader[s.size()];
            for (int f = 0; f < fields.length; f++) {
                // Avatica hands a struct's attribute values out as they are: read them as opaque values.
                fields[f] = reader(v.getChildByOrdinal(f), s.fields().get(f).type(), zone, true);
            }
            // Avatica's struct accessor turns a List into a java.sql.Struct with these attributes.
            return i -> {
                List<Object> out = new ArrayList<>(fields.length);
                for (Reader f : fields) {
                    out.add(f.read(i));
                }
                return opaque ? new StructImpl(out) : out;
            };
        }
        return switch ((PrimitiveType) type) {
            case BOOLEAN -> i -> ((BitVector) vector).get(i) != 0;
            case BYTE -> i -> ((TinyIntVector) vector).get(i);
            case SHORT -> i -> ((SmallIntVector) vector).get(i);
            case INTEGER -> i -> ((IntVector) vector).get(i);
            case LONG -> i -> ((BigIntVector) vector).get(i);
            case FLOAT -> i -> ((Float4Vector) vector).get(i);
            case DOUBLE -> i -> ((Float8Vector) vector).get(i);
            case STRING -> i -> new String(((VarCharVector) vector).get(i), StandardCharsets.UTF_8);
            case BINARY -> i -> ((VarBinaryVector) vector).get(i);
            case DATE -> i -> java.sql.Date.valueOf(LocalDate.ofEpochDay(((DateDayVector) vector).get(i)));
            case TIMESTAMP -> i -> Timestamp.valueOf(
                    LocalDateTime.ofInstant(instant(((TimeStampVector) vector).get(i)), zone));
            case TIMESTAMP_NTZ -> i -> Timestamp.valueOf(
                    LocalDateTime.ofInstant(instant(((TimeStampVector) vector).get(i)), ZoneOffset.UTC));
            case VOID -> i -> null;
        };
    }

    static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }
}

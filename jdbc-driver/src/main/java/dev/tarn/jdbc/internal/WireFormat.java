package dev.tarn.jdbc.internal;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Struct;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.ColumnMetaData.AvaticaType;
import org.apache.calcite.avatica.ColumnMetaData.Rep;
import org.apache.calcite.avatica.Meta.CursorFactory;
import org.apache.calcite.avatica.Meta.Frame;
import org.apache.calcite.avatica.Meta.Signature;

/**
 * Turns the Java values the embedded driver hands Avatica (java.sql.Timestamp, java.sql.Date, byte[], Struct, ...)
 * into the representations Avatica's remote client reads back after JSON: timestamps as epoch milliseconds of their
 * wall-clock time, dates as epoch days, binary as base64 text, decimals as exact text, nested values as JSON text.
 * The signature's column reps change to match, so the client picks the accessors that decode them.
 */
final class WireFormat {
    private WireFormat() {}

    static Signature signature(Signature s) {
        if (s == null) {
            return null;
        }
        List<ColumnMetaData> columns = new ArrayList<>(s.columns.size());
        for (ColumnMetaData c : s.columns) {
            columns.add(column(c));
        }
        return new Signature(columns, s.sql, s.parameters, s.internalParameters, CursorFactory.ARRAY, s.statementType);
    }

    /** Whether a column holds ARRAY, STRUCT or MAP values. */
    static boolean nested(ColumnMetaData c) {
        int id = c.type.id;
        return id == Types.ARRAY || id == Types.STRUCT || id == Types.JAVA_OBJECT;
    }

    /** A nested column as JSON text: VARCHAR of java.lang.String, keeping the Tarn type name. */
    static ColumnMetaData asJsonText(ColumnMetaData c) {
        return column(c);
    }

    private static ColumnMetaData column(ColumnMetaData c) {
        AvaticaType t = c.type;
        AvaticaType wire = switch (t.id) {
            case Types.TIMESTAMP -> ColumnMetaData.scalar(Types.TIMESTAMP, t.name, Rep.LONG);
            case Types.DATE -> ColumnMetaData.scalar(Types.DATE, t.name, Rep.INTEGER);
            case Types.VARBINARY, Types.BINARY -> ColumnMetaData.scalar(t.id, t.name, Rep.STRING);
            case Types.DECIMAL -> ColumnMetaData.scalar(Types.DECIMAL, t.name, Rep.NUMBER);
            // Nested values travel as JSON text: the remote client has no accessor for Tarn's structs and maps.
            case Types.ARRAY, Types.STRUCT, Types.JAVA_OBJECT -> ColumnMetaData.scalar(Types.VARCHAR, t.name, Rep.STRING);
            default -> t;
        };
        if (wire == t) {
            return c;
        }
        String className = switch (wire.rep) {
            case STRING -> t.id == Types.VARBINARY || t.id == Types.BINARY ? "[B" : String.class.getName();
            default -> c.columnClassName;
        };
        return new ColumnMetaData(c.ordinal, c.autoIncrement, c.caseSensitive, c.searchable, c.currency, c.nullable,
                c.signed, c.displaySize, c.label, c.columnName, c.schemaName, c.precision, c.scale, c.tableName,
                c.catalogName, wire, c.readOnly, c.writable, c.definitelyWritable, className);
    }

    /** Converts the rows of a frame produced for {@code original} (the embedded signature's columns). */
    static Frame frame(Frame f, List<ColumnMetaData> original) {
        if (f == null || original.isEmpty()) {
            return f;
        }
        List<Object> rows = new ArrayList<>();
        for (Object row : f.rows) {
            Object[] in = (Object[]) row;
            Object[] out = new Object[in.length];
            for (int i = 0; i < in.length; i++) {
                out[i] = value(in[i], original.get(i).type);
            }
            rows.add(out);
        }
        return new Frame(f.offset, f.done, rows);
    }

    static Object value(Object v, AvaticaType type) {
        if (v == null) {
            return null;
        }
        return switch (type.id) {
            case Types.TIMESTAMP -> ((Timestamp) v).toLocalDateTime().toInstant(ZoneOffset.UTC).toEpochMilli();
            case Types.DATE -> (int) ((Date) v).toLocalDate().toEpochDay();
            case Types.VARBINARY, Types.BINARY -> Base64.getEncoder().encodeToString((byte[]) v);
            case Types.ARRAY, Types.STRUCT, Types.JAVA_OBJECT -> {
                StringBuilder sb = new StringBuilder();
                if (type instanceof ColumnMetaData.StructType st && v instanceof List<?> attributes
                        && attributes.size() == st.columns.size()) {
                    // A top-level struct knows its field names: an object; nested structs are attribute arrays.
                    Map<String, Object> named = new LinkedHashMap<>();
                    for (int i = 0; i < attributes.size(); i++) {
                        named.put(st.columns.get(i).columnName, attributes.get(i));
                    }
                    json(sb, named);
                } else {
                    json(sb, v);
                }
                yield sb.toString();
            }
            default -> v;
        };
    }

    /** Nested values as JSON text (timestamps and dates as ISO text, binary as base64). */
    static void json(StringBuilder sb, Object v) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String s) {
            quote(sb, s);
        } else if (v instanceof Boolean || v instanceof Integer || v instanceof Long || v instanceof Short
                || v instanceof Byte) {
            sb.append(v);
        } else if (v instanceof BigDecimal d) {
            sb.append(d.toPlainString());
        } else if (v instanceof Float || v instanceof Double) {
            double d = ((Number) v).doubleValue();
            if (Double.isFinite(d)) {
                sb.append(v);
            } else {
                quote(sb, v.toString());
            }
        } else if (v instanceof byte[] b) {
            quote(sb, Base64.getEncoder().encodeToString(b));
        } else if (v instanceof Timestamp t) {
            quote(sb, t.toLocalDateTime().toString());
        } else if (v instanceof Date d) {
            quote(sb, d.toLocalDate().toString());
        } else if (v instanceof List<?> list) {
            sb.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                json(sb, list.get(i));
            }
            sb.append(']');
        } else if (v instanceof Map<?, ?> map) {
            // Map keys may be any type; JSON keys are text.
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                Object k = e.getKey();
                if (k instanceof String s) {
                    quote(sb, s);
                } else {
                    StringBuilder key = new StringBuilder();
                    json(key, k);
                    quote(sb, key.toString());
                }
                sb.append(':');
                json(sb, e.getValue());
            }
            sb.append('}');
        } else if (v instanceof Struct s) {
            try {
                json(sb, List.of(s.getAttributes()));
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        } else {
            quote(sb, v.toString());
        }
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        JsonStringEncoder.getInstance().quoteAsString(s, sb);
        sb.append('"');
    }
}

package dev.tarn.jdbc.internal;

import dev.tarn.query.ResultColumn;
import dev.tarn.txlog.types.ArrayType;
import dev.tarn.txlog.types.DataType;
import dev.tarn.txlog.types.DecimalType;
import dev.tarn.txlog.types.MapType;
import dev.tarn.txlog.types.PrimitiveType;
import dev.tarn.txlog.types.StructField;
import dev.tarn.txlog.types.StructType;
import java.sql.DatabaseMetaData;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.avatica.AvaticaParameter;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.ColumnMetaData.AvaticaType;
import org.apache.calcite.avatica.ColumnMetaData.Rep;

/**
 * How Tarn's column types look through JDBC: the {@link Types} code, the type name, precision and scale, and the Java
 * class {@code getObject} returns (which is what {@link ArrowRows} puts into frames).
 *
 * <p>BOOLEAN BOOLEAN/Boolean, TINYINT Byte, SMALLINT Short, INT Integer, BIGINT Long, FLOAT REAL/Float, DOUBLE Double,
 * DECIMAL(p,s) BigDecimal, STRING VARCHAR/String, BINARY VARBINARY/byte[], DATE java.sql.Date, TIMESTAMP and
 * TIMESTAMP_NTZ TIMESTAMP/java.sql.Timestamp, ARRAY java.sql.Array, STRUCT
 * java.sql.Struct, MAP JAVA_OBJECT/java.util.Map, VOID NULL.
 */
public final class JdbcTypes {
    private JdbcTypes() {}

    /** The JDBC description of one type. */
    public record JdbcType(int sqlType, String typeName, int precision, int scale, int displaySize, String className,
                           boolean signed) {}

    public static JdbcType of(DataType type) {
        if (type instanceof DecimalType d) {
            return new JdbcType(Types.DECIMAL, d.sqlName(), d.precision(), d.scale(), d.precision() + 2,
                    "java.math.BigDecimal", true);
        }
        if (type instanceof ArrayType a) {
            return new JdbcType(Types.ARRAY, a.sqlName(), 0, 0, Integer.MAX_VALUE, "java.sql.Array", false);
        }
        if (type instanceof StructType s) {
            return new JdbcType(Types.STRUCT, s.sqlName(), 0, 0, Integer.MAX_VALUE, "java.sql.Struct", false);
        }
        if (type instanceof MapType m) {
            return new JdbcType(Types.JAVA_OBJECT, m.sqlName(), 0, 0, Integer.MAX_VALUE, "java.util.Map", false);
        }
        PrimitiveType p = (PrimitiveType) type;
        return switch (p) {
            case BOOLEAN -> new JdbcType(Types.BOOLEAN, "BOOLEAN", 1, 0, 5, "java.lang.Boolean", false);
            case BYTE -> new JdbcType(Types.TINYINT, "TINYINT", 3, 0, 4, "java.lang.Byte", true);
            case SHORT -> new JdbcType(Types.SMALLINT, "SMALLINT", 5, 0, 6, "java.lang.Short", true);
            case INTEGER -> new JdbcType(Types.INTEGER, "INT", 10, 0, 11, "java.lang.Integer", true);
            case LONG -> new JdbcType(Types.BIGINT, "BIGINT", 19, 0, 20, "java.lang.Long", true);
            case FLOAT -> new JdbcType(Types.REAL, "FLOAT", 7, 0, 15, "java.lang.Float", true);
            case DOUBLE -> new JdbcType(Types.DOUBLE, "DOUBLE", 15, 0, 24, "java.lang.Double", true);
            case STRING -> new JdbcType(Types.VARCHAR, "STRING", Integer.MAX_VALUE, 0, Integer.MAX_VALUE,
                    "java.lang.String", false);
            case BINARY -> new JdbcType(Types.VARBINARY, "BINARY", Integer.MAX_VALUE, 0, Integer.MAX_VALUE, "[B", false);
            case DATE -> new JdbcType(Types.DATE, "DATE", 10, 0, 10, "java.sql.Date", false);
            // "YYYY-MM-DD HH:MM:SS.ffffff": 26 characters, 6 fractional digits.
            case TIMESTAMP -> new JdbcType(Types.TIMESTAMP, "TIMESTAMP", 26, 6, 26, "java.sql.Timestamp", false);
            case TIMESTAMP_NTZ -> new JdbcType(Types.TIMESTAMP, "TIMESTAMP_NTZ", 26, 6, 26, "java.sql.Timestamp", false);
            case VOID -> new JdbcType(Types.NULL, "VOID", 0, 0, 4, "java.lang.Object", false);
        };
    }

    /** The Avatica type that selects the accessor matching the values {@link ArrowRows} produces. */
    static AvaticaType avaticaType(DataType type) {
        JdbcType j = of(type);
        if (type instanceof ArrayType a) {
            return ColumnMetaData.array(avaticaType(a.elementType()), j.typeName(), Rep.ARRAY);
        }
        if (type instanceof StructType s) {
            List<ColumnMetaData> fields = new ArrayList<>();
            for (StructField f : s.fields()) {
                fields.add(columnMetaData(fields.size(), f.name(), f.type(), f.nullable()));
            }
            return ColumnMetaData.struct(fields);
        }
        if (type instanceof DecimalType) {
            return ColumnMetaData.scalar(Types.DECIMAL, j.typeName(), Rep.NUMBER);
        }
        if (type instanceof MapType) {
            return ColumnMetaData.scalar(Types.JAVA_OBJECT, j.typeName(), Rep.OBJECT);
        }
        Rep rep = switch ((PrimitiveType) type) {
            case BOOLEAN -> Rep.BOOLEAN;
            case BYTE -> Rep.BYTE;
            case SHORT -> Rep.SHORT;
            case INTEGER -> Rep.INTEGER;
            case LONG -> Rep.LONG;
            case FLOAT -> Rep.FLOAT;
            case DOUBLE -> Rep.DOUBLE;
            case STRING -> Rep.STRING;
            case BINARY -> Rep.BYTE_STRING;
            case DATE -> Rep.JAVA_SQL_DATE;
            case TIMESTAMP, TIMESTAMP_NTZ -> Rep.JAVA_SQL_TIMESTAMP;
            case VOID -> Rep.OBJECT;
        };
        return ColumnMetaData.scalar(j.sqlType(), j.typeName(), rep);
    }

    public static ColumnMetaData columnMetaData(int ordinal, ResultColumn column) {
        return columnMetaData(ordinal, column.name(), column.type(), column.nullable());
    }

    static ColumnMetaData columnMetaData(int ordinal, String name, DataType type, boolean nullable) {
        JdbcType j = of(type);
        return new ColumnMetaData(ordinal, false, true, true, false,
                nullable ? DatabaseMetaData.columnNullable : DatabaseMetaData.columnNoNulls,
                j.signed(), j.displaySize(), name, name, null, j.precision(), j.scale(), null, null,
                avaticaType(type), true, false, false, j.className());
    }

    public static AvaticaParameter parameter(int index, ResultColumn column) {
        JdbcType j = of(column.type());
        return new AvaticaParameter(j.signed(), j.precision(), j.scale(), j.sqlType(), j.typeName(), j.className(),
                "?" + (index + 1));
    }

    /** Rows of {@link DatabaseMetaData#getTypeInfo()}: one per type Tarn can store. */
    static List<Object[]> typeInfoRows() {
        List<DataType> types = List.of(PrimitiveType.BOOLEAN, PrimitiveType.BYTE, PrimitiveType.SHORT,
                PrimitiveType.INTEGER, PrimitiveType.LONG, PrimitiveType.FLOAT, PrimitiveType.DOUBLE,
                new DecimalType(DecimalType.MAX_PRECISION, 0), PrimitiveType.STRING, PrimitiveType.BINARY,
                PrimitiveType.DATE, PrimitiveType.TIMESTAMP, PrimitiveType.TIMESTAMP_NTZ);
        List<Object[]> rows = new ArrayList<>();
        for (DataType t : types) {
            JdbcType j = of(t);
            boolean decimal = t instanceof DecimalType;
            boolean quoted = t == PrimitiveType.STRING;
            boolean numeric = j.signed();
            String name = decimal ? "DECIMAL" : j.typeName();
            rows.add(new Object[] {
                name, j.sqlType(), j.precision(),
                quoted ? "'" : null, quoted ? "'" : null,
                decimal ? "precision,scale" : null,
                (short) DatabaseMetaData.typeNullable,
                quoted,
                (short) (t == PrimitiveType.BINARY ? DatabaseMetaData.typePredBasic : DatabaseMetaData.typeSearchable),
                !numeric,
                false, false, name,
                (short) 0, (short) (decimal ? DecimalType.MAX_PRECISION : t == PrimitiveType.TIMESTAMP
                        || t == PrimitiveType.TIMESTAMP_NTZ ? 6 : 0),
                null, null,
                numeric ? 10 : null});
        }
        // JDBC orders type info by DATA_TYPE.
        rows.sort((a, b) -> Integer.compare((Integer) a[1], (Integer) b[1]));
        return rows;
    }
}

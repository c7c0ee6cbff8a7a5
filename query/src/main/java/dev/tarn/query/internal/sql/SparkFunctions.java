package dev.tarn.query.internal.sql;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Spark SQL functions whose signature differs from every Calcite library's: Spark's two-argument
 * {@code DATEDIFF(end, start)} (days) and {@code DATE_TRUNC('unit', ts)} (unit first, returns a timestamp).
 * The executor implements them by name (see {@code RexCompiler}).
 */
final class SparkFunctions {
    private SparkFunctions() {}

    static final SqlFunction DATEDIFF = new SqlFunction("DATEDIFF", SqlKind.OTHER_FUNCTION,
            ReturnTypes.INTEGER_NULLABLE, null,
            OperandTypes.family(SqlTypeFamily.DATETIME, SqlTypeFamily.DATETIME), SqlFunctionCategory.TIMEDATE);

    /**
     * A DATE truncates like a timestamp at midnight of the session zone, so it returns a TIMESTAMP, as in Spark;
     * always nullable, since an unknown unit yields NULL.
     */
    static final SqlFunction DATE_TRUNC = new SqlFunction("DATE_TRUNC", SqlKind.OTHER_FUNCTION,
            ReturnTypes.cascade(opBinding -> {
                RelDataType ts = opBinding.getOperandType(1);
                SqlTypeName name = ts.getSqlTypeName() == SqlTypeName.TIMESTAMP ? SqlTypeName.TIMESTAMP
                        : SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE;
                return opBinding.getTypeFactory().createSqlType(name, 6);
            }, org.apache.calcite.sql.type.SqlTypeTransforms.FORCE_NULLABLE), null,
            OperandTypes.family(SqlTypeFamily.CHARACTER, SqlTypeFamily.DATETIME), SqlFunctionCategory.TIMEDATE);
}

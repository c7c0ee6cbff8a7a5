package dev.tarn.query.internal.sql;

import dev.tarn.query.internal.plan.TypeMapping;
import dev.tarn.txlog.types.DecimalType;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeSystemImpl;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Calcite's type system adjusted to Delta/Spark: DECIMAL up to 38 digits, microsecond timestamps, SUM of integers
 * is BIGINT and of DECIMAL(p,s) is DECIMAL(min(38,p+10),s), AVG of integers is DOUBLE and of DECIMAL(p,s) is
 * DECIMAL(min(38,p+4),min(38,s+4)) (Spark's rules).
 */
final class TarnTypeSystem extends RelDataTypeSystemImpl {
    static final TarnTypeSystem INSTANCE = new TarnTypeSystem();

    private TarnTypeSystem() {}

    @Override
    public int getMaxPrecision(SqlTypeName typeName) {
        return switch (typeName) {
            case DECIMAL -> DecimalType.MAX_PRECISION;
            case TIMESTAMP, TIMESTAMP_WITH_LOCAL_TIME_ZONE -> TypeMapping.TIMESTAMP_PRECISION;
            case VARCHAR, VARBINARY -> Integer.MAX_VALUE;
            default -> super.getMaxPrecision(typeName);
        };
    }

    @Override
    public int getMaxScale(SqlTypeName typeName) {
        return typeName == SqlTypeName.DECIMAL ? DecimalType.MAX_PRECISION : super.getMaxScale(typeName);
    }

    @Override
    public int getDefaultPrecision(SqlTypeName typeName) {
        return switch (typeName) {
            case TIMESTAMP, TIMESTAMP_WITH_LOCAL_TIME_ZONE -> TypeMapping.TIMESTAMP_PRECISION;
            case VARCHAR, VARBINARY -> Integer.MAX_VALUE;
            case DECIMAL -> 10;
            default -> super.getDefaultPrecision(typeName);
        };
    }

    @Override
    public RelDataType deriveSumType(RelDataTypeFactory f, RelDataType argumentType) {
        SqlTypeName t = argumentType.getSqlTypeName();
        RelDataType result;
        switch (t) {
            case TINYINT: case SMALLINT: case INTEGER: case BIGINT:
                result = f.createSqlType(SqlTypeName.BIGINT);
                break;
            case DECIMAL:
                result = f.createSqlType(SqlTypeName.DECIMAL,
                        Math.min(DecimalType.MAX_PRECISION, argumentType.getPrecision() + 10), argumentType.getScale());
                break;
            case REAL: case FLOAT: case DOUBLE:
                result = f.createSqlType(SqlTypeName.DOUBLE);
                break;
            default:
                return super.deriveSumType(f, argumentType);
        }
        return f.createTypeWithNullability(result, argumentType.isNullable());
    }

    @Override
    public RelDataType deriveAvgAggType(RelDataTypeFactory f, RelDataType argumentType) {
        SqlTypeName t = argumentType.getSqlTypeName();
        RelDataType result;
        if (t == SqlTypeName.DECIMAL) {
            result = f.createSqlType(SqlTypeName.DECIMAL,
                    Math.min(DecimalType.MAX_PRECISION, argumentType.getPrecision() + 4),
                    Math.min(DecimalType.MAX_PRECISION, argumentType.getScale() + 4));
        } else if (SqlTypeName.NUMERIC_TYPES.contains(t)) {
            result = f.createSqlType(SqlTypeName.DOUBLE);
        } else {
            return super.deriveAvgAggType(f, argumentType);
        }
        return f.createTypeWithNullability(result, argumentType.isNullable());
    }

    @Override
    public boolean shouldConvertRaggedUnionTypesToVarying() {
        return true;
    }
}

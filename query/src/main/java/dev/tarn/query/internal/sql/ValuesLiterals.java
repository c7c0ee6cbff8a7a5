package dev.tarn.query.internal.sql;

import com.google.common.collect.ImmutableList;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelShuttleImpl;
import org.apache.calcite.rel.logical.LogicalValues;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Gives every literal of a floating-point VALUES column the column's own type. Calcite keeps a VALUES row's exact
 * literal ({@code 0.1}, a BigDecimal) next to another row's approximate one ({@code -1.5E3}, a Double) in a DOUBLE
 * column, and its collation metadata then compares the two values and fails with a ClassCastException.
 */
final class ValuesLiterals {
    private ValuesLiterals() {
    }

    static RelNode normalize(RelNode rel, RexBuilder rexBuilder) {
        return rel.accept(new RelShuttleImpl() {
            @Override
            public RelNode visit(LogicalValues values) {
                return normalize(values, rexBuilder);
            }
        });
    }

    private static RelNode normalize(LogicalValues values, RexBuilder rexBuilder) {
        var fields = values.getRowType().getFieldList();
        boolean changed = false;
        ImmutableList.Builder<ImmutableList<RexLiteral>> tuples = ImmutableList.builder();
        for (ImmutableList<RexLiteral> tuple : values.getTuples()) {
            ImmutableList.Builder<RexLiteral> row = ImmutableList.builder();
            for (int i = 0; i < tuple.size(); i++) {
                RexLiteral literal = tuple.get(i);
                RelDataType type = fields.get(i).getType();
                if (isApproximate(type) && !literal.isNull() && !(literal.getValue() instanceof Double)) {
                    literal = rexBuilder.makeApproxLiteral(literal.getValueAs(Double.class), type);
                    changed = true;
                }
                row.add(literal);
            }
            tuples.add(row.build());
        }
        return changed ? LogicalValues.create(values.getCluster(), values.getRowType(), tuples.build()) : values;
    }

    private static boolean isApproximate(RelDataType type) {
        SqlTypeName name = type.getSqlTypeName();
        return name.getFamily() == SqlTypeFamily.NUMERIC && SqlTypeName.APPROX_TYPES.contains(name);
    }
}

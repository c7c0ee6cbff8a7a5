package dev.tarn.query.internal.plan;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.TarnException;
import dev.tarn.query.internal.expression.Casts;
import dev.tarn.query.internal.expression.Column;
import dev.tarn.query.internal.expression.EvalContext;
import dev.tarn.query.internal.expression.Expr;
import dev.tarn.query.internal.expression.Values;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.calcite.avatica.util.ByteString;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexExecutor;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.DateString;
import org.apache.calcite.util.TimestampString;

/**
 * Constant folding for Calcite's ReduceExpressionsRule with Tarn's own kernels (Calcite's executor would generate
 * and compile Java code). Each constant expression is evaluated over a one-row batch; an expression that fails
 * (say {@code 1 / 0}) or has no literal form stays as it is, so the error surfaces when the statement runs.
 */
public final class KernelRexExecutor implements RexExecutor {
    private final ZoneId zone;

    public KernelRexExecutor(ZoneId zone) {
        this.zone = requireNonNull(zone, "zone is null");
    }

    @Override
    public void reduce(RexBuilder rexBuilder, List<RexNode> constExps, List<RexNode> reducedValues) {
        try (RootAllocator allocator = new RootAllocator()) {
            EvalContext context = new EvalContext(allocator, List.of(), zone, Instant.now());
            for (RexNode e : constExps) {
                reducedValues.add(fold(rexBuilder, e, context));
            }
        }
    }

    private RexNode fold(RexBuilder rexBuilder, RexNode e, EvalContext context) {
        try {
            Expr expr = new RexCompiler(rexBuilder, List.of()).compile(e);
            Object value;
            try (VectorSchemaRoot one = VectorSchemaRoot.of()) {
                one.setRowCount(1);
                try (Column c = expr.evaluate(one, context)) {
                    value = Values.reader(c.vector()).get(0);
                }
            }
            return toLiteral(rexBuilder, value, e.getType(), e);
        } catch (TarnException | UnsupportedOperationException | ClassCastException | IllegalArgumentException ex) {
            return e;
        }
    }

    private static RexNode toLiteral(RexBuilder rexBuilder, Object value, RelDataType type, RexNode original) {
        if (value == null) {
            return rexBuilder.makeNullLiteral(type);
        }
        SqlTypeName t = type.getSqlTypeName();
        Object calcite;
        switch (t) {
            case BOOLEAN:
                calcite = value;
                break;
            case TINYINT: case SMALLINT: case INTEGER: case BIGINT:
                calcite = BigDecimal.valueOf((Long) value);
                break;
            case DECIMAL:
                calcite = value;
                break;
            case REAL: case FLOAT: case DOUBLE:
                calcite = BigDecimal.valueOf((Double) value);
                break;
            case CHAR: case VARCHAR:
                calcite = value;
                break;
            case BINARY: case VARBINARY:
                calcite = (ByteString) value;
                break;
            case DATE:
                calcite = DateString.fromDaysSinceEpoch((Integer) value);
                break;
            case TIMESTAMP: case TIMESTAMP_WITH_LOCAL_TIME_ZONE: {
                long micros = (Long) value;
                Instant i = Casts.instant(micros);
                calcite = TimestampString.fromMillisSinceEpoch(i.getEpochSecond() * 1000L).withNanos(i.getNano());
                break;
            }
            default:
                return original;
        }
        return rexBuilder.makeLiteral(calcite, type, false);
    }
}

package dev.tarn.query.internal.plan;

import static java.util.Objects.requireNonNull;

import dev.tarn.query.internal.expression.Casts;
import dev.tarn.query.internal.expression.Column;
import dev.tarn.query.internal.expression.Constant;
import dev.tarn.query.internal.expression.EvalContext;
import dev.tarn.query.internal.expression.Expr;
import dev.tarn.txlog.types.DataType;
import dev.tarn.txlog.types.PrimitiveType;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.apache.arrow.vector.VectorSchemaRoot;

/** CURRENT_DATE / CURRENT_TIMESTAMP: the statement's start time, seen in the session zone where zone-less. */
final class CurrentTime implements Expr {
    private final DataType type;

    CurrentTime(DataType type) {
        this.type = requireNonNull(type, "type is null");
    }

    @Override
    public DataType type() {
        return type;
    }

    @Override
    public Column evaluate(VectorSchemaRoot batch, EvalContext context) {
        Object value;
        LocalDateTime local = LocalDateTime.ofInstant(context.now(), context.zone());
        if (type == PrimitiveType.DATE) {
            value = (int) local.toLocalDate().toEpochDay();
        } else if (type == PrimitiveType.TIMESTAMP) {
            value = Casts.micros(context.now());
        } else {
            value = Casts.micros(local.toInstant(ZoneOffset.UTC));
        }
        return Constant.literal(type, value).evaluate(batch, context);
    }

    @Override
    public String describe() {
        return "CURRENT_" + type.sqlName();
    }
}

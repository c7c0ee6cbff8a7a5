package dev.tarn.query.internal.sql;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.catalog.TableHandle;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.Operator;
import dev.tarn.query.internal.operator.Bindings;
import dev.tarn.query.internal.plan.PlanNode;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * A planned INSERT: its source plan already produces batches in the target table's column order and types, with
 * NOT NULL checks; executing hands that operator to {@link TableHandle#append}, which commits atomically.
 */
final class InsertStatement implements PlannedStatement {
    private final TableHandle target;
    private final PlanNode source;
    private final List<ResultColumn> parameters;
    private final ZoneId zone;

    InsertStatement(TableHandle target, PlanNode source, List<ResultColumn> parameters, ZoneId zone) {
        this.target = requireNonNull(target, "target is null");
        this.source = requireNonNull(source, "source is null");
        this.parameters = List.copyOf(parameters);
        this.zone = requireNonNull(zone, "zone is null");
    }

    @Override
    public Kind kind() {
        return Kind.INSERT;
    }

    @Override
    public List<ResultColumn> parameters() {
        return parameters;
    }

    @Override
    public List<ResultColumn> columns() {
        return List.of();
    }

    @Override
    public Operator bindQuery(List<?> values) {
        throw new TarnException(ErrorCode.INTERNAL_ERROR, "bindQuery called on an INSERT");
    }

    @Override
    public long executeInsert(List<?> values, ExecutionContext context) {
        Bindings bindings = new Bindings(ParameterBinder.bind(parameters, values, zone), Instant.now());
        try (Operator rows = source.instantiate(bindings)) {
            return target.append(rows, context);
        }
    }

    String explain() {
        return "Insert[" + target.displayName() + "]\n" + source.explain();
    }
}

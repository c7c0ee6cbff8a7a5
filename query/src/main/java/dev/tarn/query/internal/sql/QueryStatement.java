package dev.tarn.query.internal.sql;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.Operator;
import dev.tarn.query.internal.operator.Bindings;
import dev.tarn.query.internal.plan.PlanNode;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/** A planned query: an immutable physical plan instantiated into a fresh operator tree for each execution. */
final class QueryStatement implements PlannedStatement {
    private final PlanNode plan;
    private final List<ResultColumn> parameters;
    private final ZoneId zone;

    QueryStatement(PlanNode plan, List<ResultColumn> parameters, ZoneId zone) {
        this.plan = requireNonNull(plan, "plan is null");
        this.parameters = List.copyOf(parameters);
        this.zone = requireNonNull(zone, "zone is null");
    }

    @Override
    public Kind kind() {
        return Kind.QUERY;
    }

    @Override
    public List<ResultColumn> parameters() {
        return parameters;
    }

    @Override
    public List<ResultColumn> columns() {
        return plan.columns();
    }

    @Override
    public Operator bindQuery(List<?> values) {
        return plan.instantiate(new Bindings(ParameterBinder.bind(parameters, values, zone), Instant.now()));
    }

    @Override
    public long executeInsert(List<?> values, ExecutionContext context) {
        throw new TarnException(ErrorCode.INTERNAL_ERROR, "executeInsert called on a query");
    }

    PlanNode plan() {
        return plan;
    }

    /** The physical plan as text (for EXPLAIN and tests). */
    String explain() {
        return plan.explain();
    }
}

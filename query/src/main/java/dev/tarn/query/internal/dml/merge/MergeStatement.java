package dev.tarn.query.internal.dml.merge;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.Operator;
import dev.tarn.query.internal.sql.PlannedStatement;
import dev.tarn.query.internal.sql.SessionState;
import dev.tarn.query.internal.sql.SqlEngine;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A planned MERGE statement (see {@link MergeParser} for the syntax and {@link MergePlan} for the query it runs).
 * Planning once up front reports errors when the statement is prepared; every execution after the first plans
 * again, so that it reads the table's latest snapshot. Executing returns the number of target rows affected
 * (updated, deleted and inserted), as Spark's {@code num_affected_rows}.
 */
public final class MergeStatement implements PlannedStatement {
    private final MergeSpec spec;
    private final String sql;
    private final SessionState session;
    private final SqlEngine engine;
    private final AtomicReference<MergePlan> unused;

    private MergeStatement(MergeSpec spec, String sql, SessionState session, SqlEngine engine) {
        this.spec = requireNonNull(spec, "spec is null");
        this.sql = requireNonNull(sql, "sql is null");
        this.session = requireNonNull(session, "session is null");
        this.engine = requireNonNull(engine, "engine is null");
        this.unused = new AtomicReference<>(MergePlan.build(spec, sql, session, engine));
    }

    /** The MERGE statement {@code sql} is, planned; empty when it is not a MERGE. */
    public static Optional<PlannedStatement> plan(String sql, SessionState session, SqlEngine engine) {
        requireNonNull(sql, "sql is null");
        if (!MergeParser.isMerge(sql)) {
            return Optional.empty();
        }
        return Optional.of(new MergeStatement(MergeParser.parse(sql), sql, session, engine));
    }

    @Override
    public Kind kind() {
        return Kind.INSERT;
    }

    @Override
    public List<ResultColumn> parameters() {
        return List.of();
    }

    @Override
    public List<ResultColumn> columns() {
        return List.of();
    }

    @Override
    public Operator bindQuery(List<?> parameters) {
        throw new TarnException(ErrorCode.INTERNAL_ERROR, "bindQuery called on a MERGE");
    }

    @Override
    public long executeInsert(List<?> parameters, ExecutionContext context) {
        requireNonNull(parameters, "parameters is null");
        requireNonNull(context, "context is null");
        if (!parameters.isEmpty()) {
            throw new TarnException(ErrorCode.VALIDATION_ERROR, "MERGE takes no parameters, but " + parameters.size()
                    + " were given");
        }
        return MergeExecution.run(nextPlan(), context).affectedRows();
    }

    MergePlan nextPlan() {
        MergePlan plan = unused.getAndSet(null);
        return plan != null ? plan : MergePlan.build(spec, sql, session, engine);
    }

    /** The plan for EXPLAIN: the join query and how its rows are applied. */
    public String explain() {
        MergePlan plan = nextPlan();
        unused.compareAndSet(null, plan);
        StringBuilder b = new StringBuilder("Merge[" + plan.target().displayName() + ", " + plan.joinType() + " join]\n");
        for (MergeLayout.ClauseLayout c : plan.layout().clauses()) {
            b.append("  ").append(c.description()).append('\n');
        }
        return b.toString();
    }
}

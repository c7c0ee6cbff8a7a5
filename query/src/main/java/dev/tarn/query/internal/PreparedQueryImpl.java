package dev.tarn.query.internal;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.PreparedQuery;
import dev.tarn.query.QueryResult;
import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.ddl.DdlStatement;
import dev.tarn.query.internal.sql.PlannedStatement;
import java.util.List;

/** A statement parsed once: either a DDL statement (no parameters) or a statement planned by the SQL engine. */
final class PreparedQueryImpl implements PreparedQuery {
    private final SessionImpl session;
    private final DdlStatement ddl;
    private final PlannedStatement planned;
    private boolean closed;

    PreparedQueryImpl(SessionImpl session, DdlStatement ddl, PlannedStatement planned) {
        this.session = requireNonNull(session, "session is null");
        if ((ddl == null) == (planned == null)) {
            throw new IllegalArgumentException("exactly one of ddl and planned must be given");
        }
        this.ddl = ddl;
        this.planned = planned;
    }

    @Override
    public List<ResultColumn> parameters() {
        return planned == null ? List.of() : planned.parameters();
    }

    @Override
    public List<ResultColumn> columns() {
        return planned == null ? List.of() : planned.columns();
    }

    @Override
    public QueryResult execute(List<?> parameters) {
        requireNonNull(parameters, "parameters is null");
        if (closed) {
            throw new TarnException(ErrorCode.VALIDATION_ERROR, "The prepared statement is closed");
        }
        if (ddl != null) {
            if (!parameters.isEmpty()) {
                throw new TarnException(ErrorCode.VALIDATION_ERROR, "This statement takes no parameters, but "
                        + parameters.size() + " were given");
            }
            return session.executeDdl(ddl);
        }
        return session.run(planned, parameters);
    }

    @Override
    public void close() {
        closed = true;
    }
}

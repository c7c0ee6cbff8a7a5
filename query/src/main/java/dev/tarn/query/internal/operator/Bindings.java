package dev.tarn.query.internal.operator;

import static java.util.Objects.requireNonNull;

import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.expression.EvalContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** What one execution binds into a plan: parameter values (canonical, see Values) and the statement time. */
public record Bindings(List<Object> parameters, Instant now) {
    public Bindings {
        parameters = Collections.unmodifiableList(new ArrayList<>(requireNonNull(parameters, "parameters is null")));
        requireNonNull(now, "now is null");
    }

    public EvalContext evalContext(ExecutionContext context) {
        return new EvalContext(context.allocator(), parameters, context.sessionZone(), now);
    }
}

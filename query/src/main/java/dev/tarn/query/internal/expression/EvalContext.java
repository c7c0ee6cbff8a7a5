package dev.tarn.query.internal.expression;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;

/**
 * What expression kernels need besides their input batch: where to allocate result vectors, the bound parameter
 * values (canonical values, see {@link Values}), the session zone and the statement's start time (so that
 * CURRENT_TIMESTAMP is stable within a statement).
 */
public final class EvalContext {
    private final BufferAllocator allocator;
    private final List<Object> parameters;
    private final ZoneId zone;
    private final Instant now;

    public EvalContext(BufferAllocator allocator, List<?> parameters, ZoneId zone, Instant now) {
        this.allocator = requireNonNull(allocator, "allocator is null");
        this.parameters = Collections.unmodifiableList(new ArrayList<>(requireNonNull(parameters, "parameters is null")));
        this.zone = requireNonNull(zone, "zone is null");
        this.now = requireNonNull(now, "now is null");
    }

    public BufferAllocator allocator() {
        return allocator;
    }

    public Object parameter(int index) {
        return parameters.get(index);
    }

    public ZoneId zone() {
        return zone;
    }

    public Instant now() {
        return now;
    }
}

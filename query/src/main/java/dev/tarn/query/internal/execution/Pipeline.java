package dev.tarn.query.internal.execution;

import dev.tarn.query.ResultColumn;
import java.util.List;

/**
 * A part of a plan that parallel workers can run side by side: streaming operators (filter, project, the probe
 * side of hash joins) over one table scan. Each worker gets its own operator instance whose scan reads the
 * morsels the worker claims; the build sides of its joins are shared through the {@link Region}.
 */
public interface Pipeline {
    List<ResultColumn> columns();

    /** Whether workers can split it (its leaf is a table scan); if not, only {@link #instantiate()} is used. */
    boolean splittable();

    /** One instance reading the whole input alone. */
    Operator instantiate();

    /** The instance for {@code worker} of {@code region}. */
    Operator instantiate(Region region, int worker);
}

package dev.tarn.maintenance;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * What {@link MaintainTask} did (or, dry, would do) to one table.
 *
 * @param table the table location
 * @param status the overall outcome; {@link Status#RETRYABLE_CONFLICT} means a concurrent writer won a race and
 *     running again is safe (the CLI exits 75, EX_TEMPFAIL)
 * @param steps every decision taken, in order; after a conflict or failure no further step runs
 * @param durationMillis wall-clock time for the table
 * @param message the error of a failure or conflict, or why the table was left alone
 */
public record MaintainResult(String table, Status status, List<MaintainStep> steps, long durationMillis,
                             Optional<String> message) {
    /** Overall outcome for a table. */
    public enum Status {
        /** At least one step was performed; none failed. */
        MAINTAINED,
        /** Dry run: at least one step is planned. */
        PLANNED,
        /** Nothing was due (or the table is switched off). */
        NOTHING_TO_DO,
        /** A concurrent commit conflicted with a step; retry later. Earlier steps' commits stay. */
        RETRYABLE_CONFLICT,
        /** A step failed; {@link #message()} has the error. Earlier steps' commits stay. */
        FAILED
    }

    public MaintainResult {
        requireNonNull(table, "table is null");
        requireNonNull(status, "status is null");
        steps = List.copyOf(requireNonNull(steps, "steps is null"));
        requireNonNull(message, "message is null");
    }

    /** Versions committed by all steps, in order. */
    public List<Long> versionsCommitted() {
        return steps.stream().flatMap(s -> s.versionsCommitted().stream()).toList();
    }

    /** The step for an operation, if the policy considered it. */
    public Optional<MaintainStep> step(MaintainOperation operation) {
        return steps.stream().filter(s -> s.operation() == operation).findFirst();
    }
}

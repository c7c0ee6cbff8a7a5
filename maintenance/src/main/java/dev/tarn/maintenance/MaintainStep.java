package dev.tarn.maintenance;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * One decision of a {@link MaintainTask} run on one table.
 *
 * @param operation what was considered
 * @param outcome done, planned (dry run), skipped, conflicted or failed
 * @param versionsCommitted the table versions this step committed, in order (empty unless performed)
 * @param filesAdded data files written
 * @param filesRemoved data files replaced or, for VACUUM, deleted; for a planned step, the files it would touch
 * @param bytesAdded size of the files written
 * @param bytesRemoved size of the files replaced or deleted (or, planned, that would be)
 * @param durationMillis wall-clock time of the step
 * @param reason why it was done, planned or skipped, or the error of a conflict or failure
 */
public record MaintainStep(MaintainOperation operation, Outcome outcome, List<Long> versionsCommitted, long filesAdded,
                           long filesRemoved, long bytesAdded, long bytesRemoved, long durationMillis,
                           Optional<String> reason) {
    /** What became of a step. */
    public enum Outcome {
        /** Done and committed (or, for VACUUM, files deleted; for CHECKPOINT, a checkpoint written). */
        PERFORMED,
        /** Dry run: would be done. */
        PLANNED,
        /** Not needed, not allowed, or switched off; {@link #reason()} says which. */
        SKIPPED,
        /** Lost a race with a concurrent writer; nothing of the step was committed. Retrying is safe. */
        CONFLICT,
        /** Failed with an error other than a conflict. */
        FAILED
    }

    public MaintainStep {
        requireNonNull(operation, "operation is null");
        requireNonNull(outcome, "outcome is null");
        versionsCommitted = List.copyOf(requireNonNull(versionsCommitted, "versionsCommitted is null"));
        requireNonNull(reason, "reason is null");
        if (outcome != Outcome.PERFORMED && outcome != Outcome.PLANNED && reason.isEmpty()) {
            throw new IllegalArgumentException("a " + outcome + " step needs a reason");
        }
    }

    static MaintainStep skipped(MaintainOperation operation, String reason) {
        return new MaintainStep(operation, Outcome.SKIPPED, List.of(), 0, 0, 0, 0, 0, Optional.of(reason));
    }

    static MaintainStep planned(MaintainOperation operation, long files, long bytes, String reason) {
        return new MaintainStep(operation, Outcome.PLANNED, List.of(), 0, files, 0, bytes, 0, Optional.of(reason));
    }
}

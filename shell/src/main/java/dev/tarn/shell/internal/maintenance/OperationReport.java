package dev.tarn.shell.internal.maintenance;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One maintenance operation on one table, as the commands report it.
 *
 * @param operation OPTIMIZE, VACUUM, PURGE, CHECKPOINT, or a {@code maintain} step (PURGE, COMPACT, CLUSTER, ...)
 * @param outcome what became of it
 * @param versionsCommitted table versions it committed, in order
 * @param filesAdded data files written
 * @param filesRemoved data files replaced, or for VACUUM deleted (planned: that would be)
 * @param bytesAdded size of the files written
 * @param bytesRemoved size of the files replaced or deleted
 * @param durationMillis wall-clock time
 * @param reason why it was skipped, planned or done, or the error of a conflict or failure
 * @param details operation-specific numbers (JSON scalars or lists of them), in a stable order
 */
record OperationReport(String operation, Outcome outcome, List<Long> versionsCommitted, long filesAdded,
                       long filesRemoved, long bytesAdded, long bytesRemoved, long durationMillis,
                       Optional<String> reason, Map<String, Object> details) {
    /** What became of an operation. */
    enum Outcome {
        PERFORMED, PLANNED, SKIPPED, CONFLICT, FAILED
    }

    OperationReport {
        requireNonNull(operation, "operation is null");
        requireNonNull(outcome, "outcome is null");
        versionsCommitted = List.copyOf(requireNonNull(versionsCommitted, "versionsCommitted is null"));
        requireNonNull(reason, "reason is null");
        details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(details, "details is null")));
    }

    static OperationReport error(String operation, Outcome outcome, String message, long durationMillis) {
        return new OperationReport(operation, outcome, List.of(), 0, 0, 0, 0, durationMillis, Optional.of(message),
                Map.of());
    }
}

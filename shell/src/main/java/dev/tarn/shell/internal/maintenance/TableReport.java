package dev.tarn.shell.internal.maintenance;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * What a command did to one table.
 *
 * @param table the table's name ({@code schema.table}) or, named by path, its location
 * @param location where the table lives
 * @param status the overall outcome
 * @param durationMillis wall-clock time spent on the table
 * @param message why nothing was done, or the error of a conflict or failure
 * @param operations the operations considered, in order
 */
record TableReport(String table, String location, Status status, long durationMillis, Optional<String> message,
                   List<OperationReport> operations) {
    /** The overall outcome for a table, which decides the exit code. */
    enum Status {
        /** At least one operation was performed, none failed. */
        DONE,
        /** Dry run: at least one operation is planned. */
        PLANNED,
        /** Nothing was due. */
        NOTHING_TO_DO,
        /** A concurrent commit won a race; nothing of the losing operation was committed; run again (exit 75). */
        RETRYABLE_CONFLICT,
        /** An operation failed (exit 1). */
        FAILED
    }

    TableReport {
        requireNonNull(table, "table is null");
        requireNonNull(location, "location is null");
        requireNonNull(status, "status is null");
        requireNonNull(message, "message is null");
        operations = List.copyOf(requireNonNull(operations, "operations is null"));
    }

    /** A table whose single operation decides its status. */
    static TableReport of(String table, String location, OperationReport op) {
        Status status = switch (op.outcome()) {
            case PERFORMED -> Status.DONE;
            case PLANNED -> Status.PLANNED;
            case SKIPPED -> Status.NOTHING_TO_DO;
            case CONFLICT -> Status.RETRYABLE_CONFLICT;
            case FAILED -> Status.FAILED;
        };
        Optional<String> message = op.outcome() == OperationReport.Outcome.PERFORMED
                || op.outcome() == OperationReport.Outcome.PLANNED ? Optional.empty() : op.reason();
        return new TableReport(table, location, status, op.durationMillis(), message, List.of(op));
    }
}

package dev.tarn.shell.internal.maintenance;

import dev.tarn.error.TarnException;
import dev.tarn.maintenance.MaintainTask;
import dev.tarn.query.Database;
import dev.tarn.query.DatabaseConfig;
import dev.tarn.shell.internal.Io;
import dev.tarn.shell.internal.UsageException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Runs one maintenance command: opens the lake (never creating it), runs the work, turns errors into reports
 * (a conflict with a concurrent writer is {@code RETRYABLE_CONFLICT}, exit 75), prints the report as JSON on stdout
 * or as text, and notes progress on stderr when it is a terminal.
 */
final class MaintenanceRun {
    private MaintenanceRun() {}

    /** The work of a command on an open lake. */
    interface Work {
        List<TableReport> run(Database db, Progress progress) throws UsageException;
    }

    /** An operation on a resolved table; bad arguments found only now (a --where on no partition column) throw. */
    interface TableOp {
        OperationReport apply(TableArgument.Target target) throws UsageException;
    }

    /** Progress notes for a terminal; silent otherwise. */
    static final class Progress {
        private final PrintWriter err;

        Progress(PrintWriter err) {
            this.err = err;
        }

        void note(String text) {
            if (err != null) {
                err.println(text);
                err.flush();
            }
        }
    }

    static int run(String command, CommonOptions common, boolean dryRun, Io io, Work work) throws UsageException {
        Path lake = io.resolve(common.lake());
        PrintWriter out = io.outWriter();
        Progress progress = new Progress(io.stderrTerminal().getAsBoolean() ? io.errWriter() : null);
        CommandReport report;
        DatabaseConfig config = DatabaseConfig.of(lake).withCreateIfMissing(false).withFileIO(io.fileIO());
        try (Database db = Database.open(config)) {
            report = new CommandReport(command, lake.toString(), dryRun, work.run(db, progress), Optional.empty());
        } catch (TarnException e) {
            report = new CommandReport(command, lake.toString(), dryRun, List.of(), Optional.of(e));
        }
        if (common.json()) {
            out.println(report.toJson());
        } else {
            report.printText(out);
        }
        out.flush();
        if (report.error().isPresent() || report.exitCode() != CommandReport.EXIT_OK) {
            PrintWriter err = io.errWriter();
            report.error().ifPresent(e -> err.println("tarn " + command + ": " + e.formattedMessage()));
            for (TableReport t : report.tables()) {
                if (t.status() == TableReport.Status.FAILED || t.status() == TableReport.Status.RETRYABLE_CONFLICT) {
                    err.println("tarn " + command + ": " + t.table() + ": " + t.message().orElse(t.status().name())
                            + (t.status() == TableReport.Status.RETRYABLE_CONFLICT ? " (retryable: run again)" : ""));
                }
            }
            err.flush();
        }
        return report.exitCode();
    }

    /**
     * One operation on one table: resolves it (a missing table stops the command), runs the operation, and turns a
     * conflict or failure into the table's report.
     */
    static List<TableReport> onTable(Database db, Io io, Progress progress, String command, String tableArg,
                                     String operation, TableOp op)
            throws UsageException {
        TableArgument.Target target = TableArgument.parse(command, tableArg).resolve(db, io);
        String location = target.log().location();
        progress.note(command + " " + target.displayName() + "...");
        long started = System.nanoTime();
        OperationReport r;
        try {
            r = op.apply(target);
        } catch (TarnException e) {
            r = OperationReport.error(operation, MaintainTask.isRetryableConflict(e) ? OperationReport.Outcome.CONFLICT
                    : OperationReport.Outcome.FAILED, e.formattedMessage(), millis(started));
        }
        progress.note(command + " " + target.displayName() + ": " + r.outcome().name().toLowerCase(java.util.Locale.ROOT)
                + " after " + millis(started) + " ms");
        return List.of(TableReport.of(target.displayName(), location, r));
    }

    static long millis(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }
}

package dev.tarn.shell.internal.maintenance;

import dev.tarn.maintenance.PurgeOptions;
import dev.tarn.maintenance.PurgeTask;
import dev.tarn.shell.internal.ArgReader;
import dev.tarn.shell.internal.Command;
import dev.tarn.shell.internal.Io;
import dev.tarn.shell.internal.UsageException;
import java.util.List;

/** {@code tarn purge}: REORG TABLE ... APPLY (PURGE), rewriting the files whose deletion vectors delete rows. */
public final class PurgeCommand implements Command {
    static final String USAGE = String.join("\n",
            "usage: tarn purge --lake DIR <table> [--json]",
            "",
            "  <table>      schema.table, or the path of a Delta table",
            "  --lake DIR   the lake directory (must exist)",
            "  --json       print one JSON document on stdout",
            "",
            "Rewrites every file whose deletion vector deletes rows, so the deleted rows are physically gone.",
            "Exit codes: 0 done or nothing to do, 1 failed, 2 bad usage, 75 a concurrent writer conflicted.");

    @Override
    public String name() {
        return "purge";
    }

    @Override
    public String summary() {
        return "rewrite files with deleted rows (REORG TABLE ... APPLY (PURGE))";
    }

    @Override
    public String usage() {
        return USAGE;
    }

    @Override
    public int run(List<String> args, Io io) throws UsageException {
        CommonOptions common = new CommonOptions(name(), true);
        ArgReader r = new ArgReader(args, "tarn purge");
        while (r.hasNext()) {
            String opt = r.nextOption();
            if (!common.accept(opt, r)) {
                throw CommonOptions.unknown(name(), opt);
            }
        }
        common.check();
        return MaintenanceRun.run(name(), common, false, io, (db, progress) -> MaintenanceRun.onTable(db, io,
                progress, name(), common.table(), "PURGE",
                t -> OptimizeCommand.rewrite("PURGE", new PurgeTask(t.log(), PurgeOptions.defaults()).run())));
    }
}

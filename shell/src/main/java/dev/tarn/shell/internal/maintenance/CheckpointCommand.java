package dev.tarn.shell.internal.maintenance;

import dev.tarn.maintenance.CheckpointResult;
import dev.tarn.maintenance.CheckpointTask;
import dev.tarn.shell.internal.ArgReader;
import dev.tarn.shell.internal.Command;
import dev.tarn.shell.internal.Io;
import dev.tarn.shell.internal.UsageException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code tarn checkpoint}: writes a checkpoint of a table's latest version. */
public final class CheckpointCommand implements Command {
    static final String USAGE = String.join("\n",
            "usage: tarn checkpoint --lake DIR <table> [--json]",
            "",
            "  <table>      schema.table, or the path of a Delta table",
            "  --lake DIR   the lake directory (must exist)",
            "  --json       print one JSON document on stdout",
            "",
            "Writes a checkpoint (classic, or V2 when delta.checkpointPolicy is v2) of the latest version unless",
            "one exists. Commits no version. Exit codes: 0 done or nothing to do, 1 failed, 2 bad usage.");

    @Override
    public String name() {
        return "checkpoint";
    }

    @Override
    public String summary() {
        return "write a checkpoint of a table's latest version";
    }

    @Override
    public String usage() {
        return USAGE;
    }

    @Override
    public int run(List<String> args, Io io) throws UsageException {
        CommonOptions common = new CommonOptions(name(), true);
        ArgReader r = new ArgReader(args, "tarn checkpoint");
        while (r.hasNext()) {
            String opt = r.nextOption();
            if (!common.accept(opt, r)) {
                throw CommonOptions.unknown(name(), opt);
            }
        }
        common.check();
        return MaintenanceRun.run(name(), common, false, io, (db, progress) -> MaintenanceRun.onTable(db, io,
                progress, name(), common.table(), "CHECKPOINT", t -> report(new CheckpointTask(t.log()).run())));
    }

    private static OperationReport report(CheckpointResult r) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("version", r.version());
        details.put("actions", r.actions());
        details.put("sizeInBytes", r.sizeInBytes());
        details.put("liveFiles", r.liveFiles());
        return new OperationReport("CHECKPOINT", r.written() ? OperationReport.Outcome.PERFORMED
                : OperationReport.Outcome.SKIPPED, List.of(), 0, 0, 0, 0, r.durationMillis(),
                r.written() ? Optional.of("checkpoint written at version " + r.version())
                        : Optional.of(r.skipReason()), details);
    }
}

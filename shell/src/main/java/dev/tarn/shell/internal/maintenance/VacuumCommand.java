package dev.tarn.shell.internal.maintenance;

import dev.tarn.maintenance.VacuumOptions;
import dev.tarn.maintenance.VacuumResult;
import dev.tarn.maintenance.VacuumTask;
import dev.tarn.shell.internal.ArgReader;
import dev.tarn.shell.internal.Command;
import dev.tarn.shell.internal.Io;
import dev.tarn.shell.internal.UsageException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code tarn vacuum}: deletes files no version within the retention needs. */
public final class VacuumCommand implements Command {
    static final String USAGE = String.join("\n",
            "usage: tarn vacuum --lake DIR <table> [--retain-hours N] [--dry-run] [--lite] [--json]",
            "",
            "  <table>           schema.table, or the path of a Delta table",
            "  --lake DIR        the lake directory (must exist)",
            "  --retain-hours N  keep files unreferenced for less than N hours (default: the table's",
            "                    delta.deletedFileRetentionDuration, 7 days; a shorter retention is refused)",
            "  --dry-run         list what would be deleted; delete and commit nothing",
            "  --lite            find files from the log alone instead of listing the table directory",
            "  --json            print one JSON document on stdout",
            "",
            "Deletes data, deletion-vector and _change_data files that no version within the retention references,",
            "and the folders they leave empty. Time travel within the retention keeps working.",
            "Exit codes: 0 done or nothing to do, 1 failed, 2 bad usage, 75 a concurrent writer conflicted.");

    @Override
    public String name() {
        return "vacuum";
    }

    @Override
    public String summary() {
        return "delete files no version within the retention needs (VACUUM)";
    }

    @Override
    public String usage() {
        return USAGE;
    }

    @Override
    public int run(List<String> args, Io io) throws UsageException {
        CommonOptions common = new CommonOptions(name(), true);
        Duration retain = null;
        boolean dry = false;
        boolean liteMode = false;
        ArgReader r = new ArgReader(args, "tarn vacuum");
        while (r.hasNext()) {
            String opt = r.nextOption();
            if (common.accept(opt, r)) {
                continue;
            }
            switch (opt) {
                case "--retain-hours" -> retain = hours(r.value(opt));
                case "--dry-run" -> {
                    r.noValue(opt);
                    dry = true;
                }
                case "--lite" -> {
                    r.noValue(opt);
                    liteMode = true;
                }
                default -> throw CommonOptions.unknown(name(), opt);
            }
        }
        common.check();
        VacuumOptions options = VacuumOptions.defaults().withDryRun(dry)
                .withMode(liteMode ? VacuumOptions.Mode.LITE : VacuumOptions.Mode.FULL);
        if (retain != null) {
            options = options.withRetention(retain);
        }
        VacuumOptions o = options;
        return MaintenanceRun.run(name(), common, dry, io, (db, progress) -> MaintenanceRun.onTable(db, io, progress,
                name(), common.table(), "VACUUM", t -> report(new VacuumTask(t.log(), o).run())));
    }

    private static Duration hours(String text) throws UsageException {
        BigDecimal h;
        try {
            h = new BigDecimal(text.strip());
        } catch (NumberFormatException e) {
            h = null;
        }
        if (h == null || h.signum() < 0) {
            throw new UsageException("tarn vacuum: --retain-hours takes a number of hours (0 or more), got '" + text + "'");
        }
        return Duration.ofMillis(h.multiply(BigDecimal.valueOf(3_600_000L)).longValue());
    }

    private static OperationReport report(VacuumResult r) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("mode", r.mode().name());
        details.put("retentionHours", r.retention().toMillis() / 3_600_000.0);
        details.put("oldestRetainedVersion", r.oldestRetainedVersion());
        details.put("directoriesDeleted", (long) r.directoriesDeleted());
        details.put("files", r.files());
        OperationReport.Outcome outcome = r.files().isEmpty() ? OperationReport.Outcome.SKIPPED
                : r.dryRun() ? OperationReport.Outcome.PLANNED : OperationReport.Outcome.PERFORMED;
        Optional<String> reason = r.skipReason().isPresent() ? r.skipReason()
                : Optional.of((r.dryRun() ? "would delete " : "deleted ") + r.files().size()
                + " file(s) unreferenced for longer than " + r.retention());
        return new OperationReport("VACUUM", outcome, r.committedVersions(), 0, r.files().size(), 0, r.bytes(),
                r.durationMillis(), reason, details);
    }
}

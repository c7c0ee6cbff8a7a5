package dev.tarn.shell.internal.maintenance;

import dev.tarn.error.TarnException;
import dev.tarn.maintenance.MaintainOptions;
import dev.tarn.maintenance.MaintainResult;
import dev.tarn.maintenance.MaintainSetting;
import dev.tarn.maintenance.MaintainSettings;
import dev.tarn.maintenance.MaintainStep;
import dev.tarn.maintenance.MaintainTask;
import dev.tarn.query.CatalogView;
import dev.tarn.query.Database;
import dev.tarn.query.Session;
import dev.tarn.shell.internal.ArgReader;
import dev.tarn.shell.internal.Command;
import dev.tarn.shell.internal.Io;
import dev.tarn.shell.internal.UsageException;
import dev.tarn.txlog.TableLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code tarn maintain}: one maintenance policy run over every table of the lake ({@link MaintainTask}). */
public final class MaintainCommand implements Command {
    @Override
    public String name() {
        return "maintain";
    }

    @Override
    public String summary() {
        return "purge, compact or cluster, checkpoint and vacuum every table as its properties say";
    }

    @Override
    public String usage() {
        StringBuilder sb = new StringBuilder(String.join("\n",
                "usage: tarn maintain --lake DIR [--dry-run] [--json]",
                "",
                "  --lake DIR   the lake directory (must exist)",
                "  --dry-run    decide and report what would be done; write and delete nothing",
                "  --json       print one JSON document on stdout",
                "",
                "For every table of every schema, in order: PURGE files whose deletion vectors delete many rows;",
                "CLUSTER unclustered files of a clustered table, else COMPACT a partition with many small files;",
                "CHECKPOINT when due; VACUUM with the table's own retention. Thresholds are table properties:",
                ""));
        for (MaintainSetting<?> s : MaintainSettings.ALL) {
            sb.append(String.format("  %s (default %s)%n      %s%n", s.key(), s.defaultValue(), s.description()));
        }
        sb.append("\nExit codes: 0 done or nothing to do, 1 a table failed, 2 bad usage, 75 a concurrent writer")
                .append(" conflicted\n(and nothing failed); the other tables still run.");
        return sb.toString();
    }

    @Override
    public int run(List<String> args, Io io) throws UsageException {
        CommonOptions common = new CommonOptions(name(), false);
        boolean dry = false;
        ArgReader r = new ArgReader(args, "tarn maintain");
        while (r.hasNext()) {
            String opt = r.nextOption();
            if (common.accept(opt, r)) {
                continue;
            }
            if (opt.equals("--dry-run")) {
                r.noValue(opt);
                dry = true;
            } else if (!opt.startsWith("-")) {
                throw new UsageException("tarn maintain: takes no table ('" + opt + "'); it maintains every table of"
                        + " the lake (switch one off with tarn.maintain.enabled = false)");
            } else {
                throw CommonOptions.unknown(name(), opt);
            }
        }
        common.check();
        MaintainOptions options = MaintainOptions.defaults().withDryRun(dry);
        return MaintenanceRun.run(name(), common, dry, io, (db, progress) -> maintainAll(db, options, progress));
    }

    private static List<TableReport> maintainAll(Database db, MaintainOptions options, MaintenanceRun.Progress progress) {
        List<String[]> names = new ArrayList<>();
        try (Session s = db.newSession()) {
            CatalogView catalog = s.catalog();
            for (String schema : catalog.schemas()) {
                for (String table : catalog.tableNames(schema)) {
                    names.add(new String[] {schema, table});
                }
            }
        }
        List<TableReport> out = new ArrayList<>();
        int i = 0;
        for (String[] n : names) {
            String name = n[0] + "." + n[1];
            progress.note("[" + (++i) + "/" + names.size() + "] " + name + "...");
            long started = System.nanoTime();
            TableLog log;
            try {
                log = db.tableLog(n[0], n[1]);
            } catch (TarnException e) {
                out.add(new TableReport(name, name, TableReport.Status.FAILED, MaintenanceRun.millis(started),
                        Optional.of(e.formattedMessage()), List.of()));
                continue;
            }
            MaintainResult result = new MaintainTask(List.of(log), options).run().get(0);
            out.add(report(name, result));
        }
        return out;
    }

    private static TableReport report(String name, MaintainResult r) {
        List<OperationReport> ops = new ArrayList<>();
        for (MaintainStep s : r.steps()) {
            OperationReport.Outcome outcome = switch (s.outcome()) {
                case PERFORMED -> OperationReport.Outcome.PERFORMED;
                case PLANNED -> OperationReport.Outcome.PLANNED;
                case SKIPPED -> OperationReport.Outcome.SKIPPED;
                case CONFLICT -> OperationReport.Outcome.CONFLICT;
                case FAILED -> OperationReport.Outcome.FAILED;
            };
            ops.add(new OperationReport(s.operation().name(), outcome, s.versionsCommitted(), s.filesAdded(),
                    s.filesRemoved(), s.bytesAdded(), s.bytesRemoved(), s.durationMillis(), s.reason(), Map.of()));
        }
        TableReport.Status status = switch (r.status()) {
            case MAINTAINED -> TableReport.Status.DONE;
            case PLANNED -> TableReport.Status.PLANNED;
            case NOTHING_TO_DO -> TableReport.Status.NOTHING_TO_DO;
            case RETRYABLE_CONFLICT -> TableReport.Status.RETRYABLE_CONFLICT;
            case FAILED -> TableReport.Status.FAILED;
        };
        return new TableReport(name, r.table(), status, r.durationMillis(), r.message(), ops);
    }
}

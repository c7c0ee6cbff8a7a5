package dev.tarn.shell.internal.maintenance;

import dev.tarn.error.TarnException;
import dev.tarn.maintenance.OptimizeOptions;
import dev.tarn.maintenance.OptimizeTask;
import dev.tarn.maintenance.RewriteResult;
import dev.tarn.query.internal.ddl.MaintenanceStatements;
import dev.tarn.shell.internal.ArgReader;
import dev.tarn.shell.internal.Command;
import dev.tarn.shell.internal.Io;
import dev.tarn.shell.internal.UsageException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code tarn optimize}: OPTIMIZE one table (bin-packing, Z-order, or clustering on a clustered table). */
public final class OptimizeCommand implements Command {
    static final String USAGE = String.join("\n",
            "usage: tarn optimize --lake DIR <table> [--where PRED] [--zorder-by c1,c2] [--full] [--json]",
            "",
            "  <table>           schema.table, or the path of a Delta table",
            "  --lake DIR        the lake directory (must exist)",
            "  --where PRED      only partitions matching PRED: 'col op literal [AND ...]' over partition columns",
            "  --zorder-by COLS  also sort each partition's rows along a Z-curve over these columns (unclustered tables)",
            "  --full            on a clustered table, recluster every file, not just the unclustered ones",
            "  --json            print one JSON document on stdout",
            "",
            "Compacts small files toward delta.targetFileSize (default 128 MiB) in one commit (dataChange false);",
            "a second run with nothing to do commits nothing. Exit codes: 0 done or nothing to do, 1 failed,",
            "2 bad usage, 75 a concurrent writer conflicted (safe to run again).");

    @Override
    public String name() {
        return "optimize";
    }

    @Override
    public String summary() {
        return "compact small files of a table, Z-order or cluster it (OPTIMIZE)";
    }

    @Override
    public String usage() {
        return USAGE;
    }

    @Override
    public int run(List<String> args, Io io) throws UsageException {
        CommonOptions common = new CommonOptions(name(), true);
        String where = null;
        List<String> zOrder = List.of();
        boolean full = false;
        ArgReader r = new ArgReader(args, "tarn optimize");
        while (r.hasNext()) {
            String opt = r.nextOption();
            if (common.accept(opt, r)) {
                continue;
            }
            switch (opt) {
                case "--where" -> where = r.value(opt);
                case "--zorder-by" -> zOrder = columns(r.value(opt));
                case "--full" -> {
                    r.noValue(opt);
                    full = true;
                }
                default -> throw CommonOptions.unknown(name(), opt);
            }
        }
        common.check();
        if (where != null && where.isBlank()) {
            throw new UsageException("tarn optimize: --where needs a predicate");
        }
        String pred = where;
        List<String> zOrderBy = zOrder;
        boolean reclusterAll = full;
        return MaintenanceRun.run(name(), common, false, io, (db, progress) -> MaintenanceRun.onTable(db, io,
                progress, name(), common.table(), "OPTIMIZE", t -> {
                    OptimizeOptions o = OptimizeOptions.defaults().withFull(reclusterAll);
                    if (!zOrderBy.isEmpty()) {
                        o = o.withZOrderBy(zOrderBy);
                    }
                    if (pred != null) {
                        try {
                            o = o.withPartitionPredicate(MaintenanceStatements.partitionPredicate(pred, t.log(),
                                    t.displayName()));
                        } catch (TarnException e) {
                            throw new UsageException("tarn optimize: --where '" + pred + "': " + e.getMessage());
                        }
                    }
                    return rewrite("OPTIMIZE", new OptimizeTask(t.log(), o).run());
                }));
    }

    static List<String> columns(String text) throws UsageException {
        List<String> out = new ArrayList<>();
        for (String c : text.split(",", -1)) {
            if (c.isBlank()) {
                throw new UsageException("tarn optimize: --zorder-by takes column names separated by commas, got '"
                        + text + "'");
            }
            out.add(c.strip());
        }
        return out;
    }

    /** The report of an OPTIMIZE or PURGE rewrite. */
    static OperationReport rewrite(String operation, RewriteResult r) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("readVersion", r.readVersion());
        details.put("partitionsOptimized", (long) r.partitionsTouched());
        details.put("rowsWritten", r.rowsWritten());
        details.put("deletedRowsDropped", r.deletedRowsDropped());
        return new OperationReport(operation, r.committed() ? OperationReport.Outcome.PERFORMED
                : OperationReport.Outcome.SKIPPED, r.committed() ? List.of(r.committedVersion().getAsLong()) : List.of(),
                r.filesAdded(), r.filesRemoved(), r.bytesAdded(), r.bytesRemoved(), r.durationMillis(), r.skipReason(),
                details);
    }
}

package dev.tarn.query.internal.ddl;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.maintenance.ClusteringSpec;
import dev.tarn.maintenance.OptimizeOptions;
import dev.tarn.maintenance.OptimizeTask;
import dev.tarn.maintenance.PurgeOptions;
import dev.tarn.maintenance.PurgeTask;
import dev.tarn.maintenance.RewriteResult;
import dev.tarn.maintenance.VacuumOptions;
import dev.tarn.maintenance.VacuumResult;
import dev.tarn.maintenance.VacuumTask;
import dev.tarn.query.ResultColumn;
import dev.tarn.txlog.Snapshot;
import dev.tarn.txlog.TableLog;
import dev.tarn.txlog.Transaction;
import dev.tarn.txlog.skipping.Predicate;
import dev.tarn.txlog.types.DataType;
import dev.tarn.txlog.types.DecimalType;
import dev.tarn.txlog.types.PrimitiveType;
import dev.tarn.txlog.types.StructField;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Runs OPTIMIZE, REORG TABLE ... APPLY (PURGE), VACUUM and ALTER TABLE ... CLUSTER BY with the maintenance library and reports them as rows. */
public final class MaintenanceStatements {
    private MaintenanceStatements() {}

    /** An existing table's log and the name to report it by. */
    record Target(TableLog log, String displayName) {
        Target {
            requireNonNull(log, "log is null");
            requireNonNull(displayName, "displayName is null");
        }
    }

    static final List<ResultColumn> REWRITE_COLUMNS = List.of(
            new ResultColumn("table", PrimitiveType.STRING, false),
            new ResultColumn("committedVersion", PrimitiveType.LONG, true),
            new ResultColumn("numFilesAdded", PrimitiveType.LONG, false),
            new ResultColumn("numFilesRemoved", PrimitiveType.LONG, false),
            new ResultColumn("numBytesAdded", PrimitiveType.LONG, false),
            new ResultColumn("numBytesRemoved", PrimitiveType.LONG, false),
            new ResultColumn("partitionsOptimized", PrimitiveType.LONG, false),
            new ResultColumn("durationMillis", PrimitiveType.LONG, false),
            new ResultColumn("skipReason", PrimitiveType.STRING, true));

    static final List<ResultColumn> VACUUM_COLUMNS = List.of(
            new ResultColumn("table", PrimitiveType.STRING, false),
            new ResultColumn("mode", PrimitiveType.STRING, false),
            new ResultColumn("filesDeleted", PrimitiveType.LONG, false),
            new ResultColumn("bytesDeleted", PrimitiveType.LONG, false),
            new ResultColumn("retentionHours", PrimitiveType.LONG, false),
            new ResultColumn("oldestRetainedVersion", PrimitiveType.LONG, false),
            new ResultColumn("durationMillis", PrimitiveType.LONG, false),
            new ResultColumn("skipReason", PrimitiveType.STRING, true));

    static final List<ResultColumn> DRY_RUN_COLUMNS = List.of(new ResultColumn("path", PrimitiveType.STRING, false));

    static ValueTable optimize(DdlStatement.Optimize s, Target t) {
        OptimizeOptions options = OptimizeOptions.defaults().withFull(s.full());
        if (!s.zOrderBy().isEmpty()) {
            options = options.withZOrderBy(s.zOrderBy());
        }
        Optional<Predicate> where = partitionPredicate(s.where(), t);
        if (where.isPresent()) {
            options = options.withPartitionPredicate(where.get());
        }
        return rewriteRow(t, new OptimizeTask(t.log(), options).run());
    }

    static ValueTable purge(DdlStatement.Purge s, Target t) {
        PurgeOptions options = PurgeOptions.defaults();
        Optional<Predicate> where = partitionPredicate(s.where(), t);
        if (where.isPresent()) {
            options = options.withPartitionPredicate(where.get());
        }
        return rewriteRow(t, new PurgeTask(t.log(), options).run());
    }

    /**
     * DRY RUN lists the files that would be deleted, one row each; otherwise one row of metrics. A short retention
     * is refused by the task unless {@code retentionCheck} was turned off in the session.
     */
    static ValueTable vacuum(DdlStatement.Vacuum s, Target t, boolean retentionCheck) {
        VacuumOptions options = VacuumOptions.defaults()
                .withMode(s.lite() ? VacuumOptions.Mode.LITE : VacuumOptions.Mode.FULL)
                .withDryRun(s.dryRun())
                .withAllowShortRetention(!retentionCheck);
        if (s.retention().isPresent()) {
            options = options.withRetention(s.retention().get());
        }
        VacuumResult r = new VacuumTask(t.log(), options).run();
        if (s.dryRun()) {
            List<List<Object>> rows = new ArrayList<>();
            for (String f : r.files()) {
                rows.add(List.of(f));
            }
            return new ValueTable(DRY_RUN_COLUMNS, rows);
        }
        List<Object> row = new ArrayList<>();
        row.add(t.displayName());
        row.add(r.mode().name());
        row.add((long) r.filesDeleted());
        row.add(r.bytes());
        row.add(r.retention().toHours());
        row.add(r.oldestRetainedVersion());
        row.add(r.durationMillis());
        row.add(r.skipReason().orElse(null));
        return new ValueTable(VACUUM_COLUMNS, List.of(row));
    }

    /**
     * One commit (operation {@code CLUSTER BY}, delta-spark's parameters) that sets or clears the clustering
     * columns; the data is left alone until OPTIMIZE clusters it.
     */
    static void alterClusterBy(DdlStatement.AlterClusterBy s, Target t) {
        Snapshot snapshot = t.log().latestSnapshot();
        List<List<String>> old = ClusteringSpec.logicalColumns(snapshot);
        Transaction tx = t.log().newTransaction(snapshot, "CLUSTER BY",
                ClusteringSpec.clusterByOperationParameters(old, s.columns()));
        if (s.columns().isEmpty()) {
            ClusteringSpec.clearClusteringColumns(tx);
        } else {
            ClusteringSpec.setClusteringColumns(tx, s.columns());
        }
        tx.commit();
    }

    private static ValueTable rewriteRow(Target t, RewriteResult r) {
        List<Object> row = new ArrayList<>();
        row.add(t.displayName());
        row.add(r.committedVersion().isPresent() ? r.committedVersion().getAsLong() : null);
        row.add(r.filesAdded());
        row.add(r.filesRemoved());
        row.add(r.bytesAdded());
        row.add(r.bytesRemoved());
        row.add((long) r.partitionsTouched());
        row.add(r.durationMillis());
        row.add(r.skipReason().orElse(null));
        return new ValueTable(REWRITE_COLUMNS, List.of(row));
    }

    /**
     * A partition predicate given as text ({@code col op literal [AND ...]}, the WHERE of OPTIMIZE) as a skipping
     * predicate over the partition columns of the table's latest snapshot; for the maintenance commands of the
     * command line. Errors name the table by {@code displayName}.
     */
    public static Predicate partitionPredicate(String where, TableLog log, String displayName) {
        requireNonNull(where, "where is null");
        List<DdlStatement.PartitionCondition> conditions = DdlParser.parsePartitionPredicate(where);
        return partitionPredicate(conditions, new Target(log, displayName)).orElseThrow();
    }

    /** The conditions as one skipping predicate over the table's partition columns, literals typed by column. */
    static Optional<Predicate> partitionPredicate(List<DdlStatement.PartitionCondition> conditions, Target t) {
        if (conditions.isEmpty()) {
            return Optional.empty();
        }
        Snapshot snapshot = t.log().latestSnapshot();
        List<Predicate> out = new ArrayList<>();
        for (DdlStatement.PartitionCondition c : conditions) {
            String column = snapshot.partitionColumns().stream().filter(p -> p.equalsIgnoreCase(c.column()))
                    .findFirst().orElseThrow(() -> new TarnException(ErrorCode.VALIDATION_ERROR, "Column '"
                            + c.column() + "' in the WHERE clause is not a partition column of table "
                            + t.displayName() + " (partition columns: " + snapshot.partitionColumns() + ")"));
            StructField field = snapshot.schema().field(column).orElseThrow(() -> new TarnException(
                    ErrorCode.VALIDATION_ERROR, "Partition column '" + column + "' of table " + t.displayName()
                            + " is missing from its schema"));
            Object value = literal(c, field.type(), t);
            out.add(new Predicate.Comparison(Predicate.Column.of(field.name()), c.op(),
                    new Predicate.Literal(value, field.type())));
        }
        return Optional.of(out.size() == 1 ? out.get(0) : new Predicate.And(out));
    }

    private static Object literal(DdlStatement.PartitionCondition c, DataType type, Target t) {
        Token token = c.literal();
        String text = (c.negative() ? "-" : "") + token.text();
        try {
            if (type == PrimitiveType.BOOLEAN && token.kind() != Token.Kind.NUMBER
                    && (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false"))) {
                return Boolean.parseBoolean(text.toLowerCase(java.util.Locale.ROOT));
            }
            if (type == PrimitiveType.STRING && token.kind() == Token.Kind.STRING) {
                return text;
            }
            if (type == PrimitiveType.DATE && token.kind() == Token.Kind.STRING) {
                return LocalDate.parse(text.strip());
            }
            if (token.kind() == Token.Kind.NUMBER || token.kind() == Token.Kind.STRING) {
                if (type == PrimitiveType.BYTE) {
                    return Byte.parseByte(text.strip());
                } else if (type == PrimitiveType.SHORT) {
                    return Short.parseShort(text.strip());
                } else if (type == PrimitiveType.INTEGER) {
                    return Integer.parseInt(text.strip());
                } else if (type == PrimitiveType.LONG) {
                    return Long.parseLong(text.strip());
                } else if (type == PrimitiveType.FLOAT) {
                    return Float.parseFloat(text.strip());
                } else if (type == PrimitiveType.DOUBLE) {
                    return Double.parseDouble(text.strip());
                } else if (type instanceof DecimalType d) {
                    return new BigDecimal(text.strip()).setScale(d.scale(), java.math.RoundingMode.UNNECESSARY);
                }
            }
        } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
            throw new TarnException(ErrorCode.VALIDATION_ERROR, "Cannot compare partition column '" + c.column()
                    + "' of type " + type.sqlName() + " of table " + t.displayName() + " with " + token.describe(), e);
        }
        throw new TarnException(ErrorCode.VALIDATION_ERROR, "Cannot compare partition column '" + c.column()
                + "' of type " + type.sqlName() + " of table " + t.displayName() + " with " + token.describe()
                + " in a maintenance statement's WHERE clause (supported: numbers, strings, booleans, dates)");
    }
}

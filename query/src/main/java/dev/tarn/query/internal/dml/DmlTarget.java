package dev.tarn.query.internal.dml;

import static java.util.Objects.requireNonNull;

import dev.tarn.query.internal.catalog.DeltaTableHandle;
import dev.tarn.query.internal.catalog.LakeCatalog;
import dev.tarn.query.internal.catalog.PushedFilter;
import dev.tarn.query.internal.catalog.TableHandle;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.Operator;
import dev.tarn.query.internal.plan.HiddenColumns;
import dev.tarn.query.internal.scan.SkippingFilters;
import dev.tarn.txlog.ScanBuilder;
import dev.tarn.txlog.action.AddFile;
import dev.tarn.txlog.skipping.Predicate;
import dev.tarn.txlog.types.StructField;
import dev.tarn.txlog.types.StructType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The target of a row-level statement as the statement's queries see it: every reference to the table resolves to
 * this one handle, pinned at one snapshot, so the rows found and the commit agree. It records what the scans of
 * the target read (their pushed filters), which becomes the commit's read predicate for conflict detection, and
 * routes an INSERT planned against it to {@link #appender} (INSERT OVERWRITE and REPLACE WHERE). MERGE plans its
 * join over {@code new SessionState(target.pin(catalog), ...)} and calls {@link #registerReads} before committing.
 */
public final class DmlTarget implements TableHandle, HiddenColumns {
    /** What an INSERT into the target does instead of appending. */
    public interface Appender {
        long append(Operator source, ExecutionContext context);
    }

    private final DeltaTableHandle table;
    private final List<List<PushedFilter>> scans = Collections.synchronizedList(new ArrayList<>());
    private volatile Appender appender;

    public DmlTarget(DeltaTableHandle table) {
        this.table = requireNonNull(table, "table is null");
    }

    public DeltaTableHandle table() {
        return table;
    }

    public void appender(Appender a) {
        this.appender = a;
    }

    /** A catalog that resolves every name of this table (at its location, current version) to this handle. */
    public LakeCatalog pin(LakeCatalog catalog) {
        return new LakeCatalog() {
            @Override
            public List<String> schemaNames() {
                return catalog.schemaNames();
            }

            @Override
            public boolean schemaExists(String schema) {
                return catalog.schemaExists(schema);
            }

            @Override
            public List<String> tableNames(String schema) {
                return catalog.tableNames(schema);
            }

            @Override
            public Optional<TableHandle> table(String schema, String name) {
                return catalog.table(schema, name).map(DmlTarget.this::substitute);
            }

            @Override
            public Optional<TableHandle> tableByPath(String path) {
                return catalog.tableByPath(path).map(DmlTarget.this::substitute);
            }
        };
    }

    private TableHandle substitute(TableHandle h) {
        if (h instanceof DeltaTableHandle d && d.timeTravel().isEmpty() && d.location().equals(table.location())) {
            return this;
        }
        return h;
    }

    @Override
    public boolean[] appliesExactly(List<PushedFilter> filters) {
        return table.appliesExactly(filters);
    }

    /** Records what the scan reads; a scan is planned per execution. */
    @Override
    public Operator scan(int[] projectedColumns, List<PushedFilter> filters) {
        scans.add(List.copyOf(filters));
        return table.scan(projectedColumns, filters);
    }

    /**
     * Registers what the statement's scans read with the write: without any pushed filter the whole table, else
     * each scan's filters as a read predicate plus the files they could match.
     */
    public void registerReads(RowLevelWrite write) {
        List<List<PushedFilter>> seen;
        synchronized (scans) {
            seen = List.copyOf(scans);
        }
        for (List<PushedFilter> filters : seen) {
            Optional<Predicate> p = SkippingFilters.toPredicate(schema(), filters);
            if (p.isEmpty()) {
                write.readWholeTable();
                continue;
            }
            write.readPredicate(p.get());
            ScanBuilder builder = table.snapshot().scanBuilder().withFilter(p.get());
            List<AddFile> read = builder.build().files().stream().map(f -> f.add()).toList();
            write.readFiles(read);
        }
    }

    @Override
    public long append(Operator source, ExecutionContext context) {
        Appender a = appender;
        return a == null ? table.append(source, context) : a.append(source, context);
    }

    @Override
    public String displayName() {
        return table.displayName();
    }

    @Override
    public StructType schema() {
        return table.schema();
    }

    @Override
    public List<String> partitionColumns() {
        return table.partitionColumns();
    }

    @Override
    public long estimatedRowCount() {
        return table.estimatedRowCount();
    }

    @Override
    public List<StructField> hiddenColumns() {
        return table.hiddenColumns();
    }
}

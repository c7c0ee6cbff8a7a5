package dev.tarn.txlog;

import static java.util.Objects.requireNonNull;

import dev.tarn.txlog.action.AddFile;
import dev.tarn.txlog.internal.LogPaths;
import dev.tarn.txlog.internal.replay.ActiveFiles;
import dev.tarn.txlog.skipping.DataSkipping;
import dev.tarn.txlog.skipping.FileStats;
import dev.tarn.txlog.skipping.Predicate;
import dev.tarn.txlog.types.StructField;
import dev.tarn.txlog.types.StructType;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plans a scan of a snapshot: the active files, minus those a filter proves cannot match (partition values exactly,
 * statistics conservatively; see {@link DataSkipping}). The filter only skips files; callers still filter rows.
 */
public final class ScanBuilder {
    private final Snapshot snapshot;
    private Predicate filter;
    private ZoneId zone = ZoneOffset.UTC;

    ScanBuilder(Snapshot snapshot) {
        this.snapshot = requireNonNull(snapshot, "snapshot is null");
    }

    /** A file's partition values by logical column name, typed. */
    static Map<String, Object> partitionValues(AddFile add, StructType schema, List<String> partitionColumns, ZoneId zone) {
        List<StructField> fields = new ArrayList<>(partitionColumns.size());
        for (String pc : partitionColumns) {
            schema.field(pc).ifPresent(fields::add);
        }
        return typed(add.partitionValues(), fields, zone);
    }

    private static Map<String, Object> typed(Map<String, String> partitionValues, List<StructField> partitionFields,
                                             ZoneId zone) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (StructField f : partitionFields) {
            // Under column mapping the log keys partition values by physical name ("Column Mapping").
            String raw = partitionValues.containsKey(f.physicalName())
                    ? partitionValues.get(f.physicalName()) : partitionValues.get(f.name());
            values.put(f.name(), PartitionValues.parse(raw, f.type(), zone));
        }
        return values;
    }

    public ScanBuilder withFilter(Predicate p) {
        this.filter = requireNonNull(p, "p is null");
        return this;
    }

    /**
     * The time zone for zone-less timestamp partition values (PROTOCOL.md "Partition Value Serialization": they are
     * local times of the writer); UTC unless set.
     */
    public ScanBuilder withSessionTimeZone(ZoneId zoneId) {
        this.zone = requireNonNull(zoneId, "zoneId is null");
        return this;
    }

    public ScanPlan build() {
        StructType schema = snapshot.schema();
        List<String> partitionColumns = snapshot.partitionColumns();
        List<StructField> partitionFields = new ArrayList<>(partitionColumns.size());
        for (String pc : partitionColumns) {
            partitionFields.add(schema.field(pc).orElseThrow(() -> new dev.tarn.error.TarnException(
                    dev.tarn.error.ErrorCode.CORRUPT_LOG, "Partition column " + pc + " of table "
                    + snapshot.tableLocation() + " is not in its schema")));
        }
        DataSkipping skipping = new DataSkipping(schema, partitionColumns);
        Predicate normalized = filter == null ? null : DataSkipping.pushNot(filter, false);
        // Files are read by column: a record is built only for a file the filter keeps, stats are parsed only when
        // the filter needs them, and partition values are typed once per distinct map of the checkpoint's files.
        ActiveFiles files = snapshot.activeFileSet();
        List<Map<String, String>> dictionary = files.partitionDictionary();
        @SuppressWarnings("unchecked")
        Map<String, Object>[] typedByIndex = new Map[dictionary.size()];
        ActiveFiles.Cursor c = files.cursor();
        List<ScanFile> out = new ArrayList<>();
        int total = 0;
        while (c.next()) {
            total++;
            int index = c.partitionIndex();
            Map<String, Object> values;
            if (index < 0) {
                values = typed(c.partitionValues(), partitionFields, zone);
            } else {
                values = typedByIndex[index];
                if (values == null) {
                    values = typed(dictionary.get(index), partitionFields, zone);
                    typedByIndex[index] = values;
                }
            }
            if (normalized != null && !skipping.mightMatch(normalized, values, () -> FileStats.parse(c.stats()))) {
                continue;
            }
            AddFile add = c.add();
            out.add(new ScanFile(add, LogPaths.resolve(snapshot.tableLocation(), add.path()), values,
                    add.deletionVectorDescriptor()));
        }
        return new ScanPlan(out, total, total - out.size());
    }
}

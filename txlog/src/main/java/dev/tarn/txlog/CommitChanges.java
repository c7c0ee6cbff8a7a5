package dev.tarn.txlog;

import static java.util.Objects.requireNonNull;

import dev.tarn.txlog.action.Metadata;
import dev.tarn.txlog.types.StructField;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The change data of one commit (PROTOCOL.md "Reader Requirements for AddCDCFile"): the files to read and the
 * values of the {@code _commit_version} and {@code _commit_timestamp} columns of their rows.
 *
 * @param timestamp {@code commitInfo.inCommitTimestamp} where in-commit timestamps are enabled, else the commit
 *     file's modification time, in milliseconds
 * @param metadata the table metadata in effect at this version (schema, column mapping, partition columns)
 * @param files empty when the commit changed no rows (e.g. OPTIMIZE, or a metadata-only commit)
 */
public record CommitChanges(long version, long timestamp, Metadata metadata, List<ChangeFile> files) {
    public CommitChanges {
        if (version < 0) {
            throw new IllegalArgumentException("version is negative: " + version);
        }
        requireNonNull(metadata, "metadata is null");
        files = List.copyOf(requireNonNull(files, "files is null"));
    }

    /**
     * A change file's partition values by logical column name, typed with this commit's schema (see
     * {@link PartitionValues}); {@code zone} interprets zone-less timestamp partition values. Under column mapping
     * the log keys them by physical name ("Column Mapping").
     */
    public Map<String, Object> partitionValues(ChangeFile file, ZoneId zone) {
        requireNonNull(file, "file is null");
        requireNonNull(zone, "zone is null");
        Map<String, Object> values = new LinkedHashMap<>();
        for (String column : metadata.partitionColumns()) {
            StructField f = metadata.schema().field(column).orElseThrow(() -> new dev.tarn.error.TarnException(
                    dev.tarn.error.ErrorCode.CORRUPT_LOG, "Partition column " + column + " of version " + version
                    + " is not in the table schema"));
            String raw = file.partitionValues().containsKey(f.physicalName())
                    ? file.partitionValues().get(f.physicalName()) : file.partitionValues().get(f.name());
            values.put(f.name(), PartitionValues.parse(raw, f.type(), zone));
        }
        return values;
    }
}

package dev.tarn.txlog;

import static java.util.Objects.requireNonNull;

import dev.tarn.txlog.action.Metadata;
import java.util.List;

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
}

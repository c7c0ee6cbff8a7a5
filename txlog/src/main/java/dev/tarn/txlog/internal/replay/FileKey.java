package dev.tarn.txlog.internal.replay;

import static java.util.Objects.requireNonNull;

/**
 * The identity of a logical file during reconciliation (PROTOCOL.md "Action Reconciliation": "The primary key for
 * the entry of a logical file in the set of files is a tuple of the data file's path and a unique id describing the
 * DV"). The path is canonical: URI-decoded and resolved against the table root, so {@code file:/x}, {@code /x} and a
 * relative path naming the same file are one key.
 */
public record FileKey(String path, String deletionVectorId) {
    public FileKey {
        requireNonNull(path, "path is null");
    }

    /** The key of a log path (URI, relative or absolute) and DV unique id within a table. */
    public static FileKey of(String tableLocation, String logPath, String deletionVectorId) {
        return new FileKey(dev.tarn.txlog.internal.LogPaths.resolve(tableLocation, logPath), deletionVectorId);
    }
}

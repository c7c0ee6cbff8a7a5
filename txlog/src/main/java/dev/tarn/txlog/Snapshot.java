package dev.tarn.txlog;

import static java.util.Objects.requireNonNull;

import dev.tarn.txlog.action.AddFile;
import dev.tarn.txlog.action.DomainMetadata;
import dev.tarn.txlog.action.Metadata;
import dev.tarn.txlog.action.Protocol;
import dev.tarn.txlog.action.RemoveFile;
import dev.tarn.txlog.action.SetTransaction;
import dev.tarn.txlog.action.DeletionVectorDescriptor;
import dev.tarn.txlog.internal.replay.ActiveFiles;
import dev.tarn.txlog.internal.replay.FileMap;
import dev.tarn.txlog.types.StructType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable view of a table at one version (PROTOCOL.md "Delta Table Specification": protocol, metadata, the set
 * of files, tombstones and application transactions), after action reconciliation.
 */
public final class Snapshot {
    private final TableLog log;
    private final long version;
    private final long timestamp;
    private final Protocol protocol;
    private final Metadata metadata;
    private final StructType schema;
    /**
     * Frozen and shared with snapshots refreshed from this one. The active files are kept by column; their records
     * are built only when {@link #activeFiles()} is read. The tombstone list is built on first use (a benign race
     * builds equal lists).
     */
    private final ActiveFiles activeFileSet;
    private final List<AddFile> activeFiles;
    private final FileMap<RemoveFile> tombstoneMap;
    private volatile List<RemoveFile> tombstones;
    private final Map<String, SetTransaction> setTransactions;
    private final Map<String, DomainMetadata> domainMetadata;
    private final long checkpointVersion;
    /** Cached {@link #estimatedRowCount()}; a benign race recomputes the same value. */
    private volatile long estimatedRows = Long.MIN_VALUE;

    Snapshot(TableLog log, long version, long timestamp, Protocol protocol, Metadata metadata,
             ActiveFiles activeFiles, FileMap<RemoveFile> tombstones,
             Map<String, SetTransaction> setTransactions, Map<String, DomainMetadata> domainMetadata,
             long checkpointVersion) {
        this.log = requireNonNull(log, "log is null");
        this.version = version;
        this.timestamp = timestamp;
        this.protocol = requireNonNull(protocol, "protocol is null");
        this.metadata = requireNonNull(metadata, "metadata is null");
        this.schema = metadata.schema();
        this.activeFileSet = requireNonNull(activeFiles, "activeFiles is null").freeze();
        this.activeFiles = activeFileSet.list();
        this.tombstoneMap = requireNonNull(tombstones, "tombstones is null").freeze();
        this.setTransactions = Collections.unmodifiableMap(new LinkedHashMap<>(setTransactions));
        this.domainMetadata = Collections.unmodifiableMap(new LinkedHashMap<>(domainMetadata));
        this.checkpointVersion = checkpointVersion;
    }

    public long version() {
        return version;
    }

    /**
     * The commit timestamp in milliseconds: {@code commitInfo.inCommitTimestamp} when in-commit timestamps are
     * enabled, else the modification time of the commit file.
     */
    public long timestamp() {
        return timestamp;
    }

    public Protocol protocol() {
        return protocol;
    }

    public Metadata metadata() {
        return metadata;
    }

    public StructType schema() {
        return schema;
    }

    public List<String> partitionColumns() {
        return metadata.partitionColumns();
    }

    public Map<String, String> configuration() {
        return metadata.configuration();
    }

    /**
     * The files of the table at this version, as a read-only list whose records are built as they are read (a
     * checkpoint's files are kept by column). For counts and sizes use {@link #activeFileCount()} and
     * {@link #sizeInBytes()}, which build no records.
     */
    public List<AddFile> activeFiles() {
        return activeFiles;
    }

    /** The number of files of the table at this version. */
    public int activeFileCount() {
        return activeFileSet.size();
    }

    /** Remove actions still kept as tombstones (for checkpoints and vacuum). */
    public List<RemoveFile> tombstones() {
        List<RemoveFile> files = tombstones;
        if (files == null) {
            files = Collections.unmodifiableList(tombstoneMap.toList());
            tombstones = files;
        }
        return files;
    }

    /** The active files keyed for reconciliation, for continuing this snapshot by more commits. */
    ActiveFiles activeFileSet() {
        return activeFileSet;
    }

    FileMap<RemoveFile> tombstoneMap() {
        return tombstoneMap;
    }

    /** The newest txn action per application id. */
    public Map<String, SetTransaction> setTransactions() {
        return setTransactions;
    }

    public Optional<Long> transactionVersion(String appId) {
        SetTransaction t = setTransactions.get(appId);
        return t == null ? Optional.empty() : Optional.of(t.version());
    }

    /** Live domain metadata per domain (removed domains are absent). */
    public Map<String, DomainMetadata> domainMetadata() {
        return domainMetadata;
    }

    /** The version of the checkpoint this snapshot was loaded from, or -1. */
    public long checkpointVersion() {
        return checkpointVersion;
    }

    /**
     * The number of live rows according to the files' statistics ({@code numRecords} minus deletion-vector
     * cardinality), or -1 when some file has no statistics.
     */
    public long estimatedRowCount() {
        long rows = estimatedRows;
        if (rows == Long.MIN_VALUE) {
            rows = 0;
            ActiveFiles.Cursor c = activeFileSet.cursor();
            while (c.next()) {
                long n = c.numRecords();
                if (n < 0) {
                    rows = -1;
                    break;
                }
                DeletionVectorDescriptor dv = c.deletionVector();
                rows += n - (dv == null ? 0 : dv.cardinality());
            }
            estimatedRows = rows;
        }
        return rows;
    }

    /** Total size of the active files in bytes. */
    public long sizeInBytes() {
        long total = 0;
        ActiveFiles.Cursor c = activeFileSet.cursor();
        while (c.next()) {
            total += c.size();
        }
        return total;
    }

    /**
     * The clustering columns of a clustered table (PROTOCOL.md "Clustered Table": domain {@code delta.clustering},
     * {@code clusteringColumns} as physical-name paths); empty when the table is not clustered.
     */
    public List<List<String>> clusteringColumns() {
        DomainMetadata d = domainMetadata.get("delta.clustering");
        if (d == null) {
            return List.of();
        }
        try {
            com.fasterxml.jackson.databind.JsonNode n = dev.tarn.txlog.internal.json.ActionJson.MAPPER.readTree(d.configuration());
            List<List<String>> out = new java.util.ArrayList<>();
            for (com.fasterxml.jackson.databind.JsonNode path : n.path("clusteringColumns")) {
                List<String> parts = new java.util.ArrayList<>();
                path.forEach(p -> parts.add(p.asText()));
                out.add(List.copyOf(parts));
            }
            return List.copyOf(out);
        } catch (java.io.IOException e) {
            throw new dev.tarn.error.TarnException(dev.tarn.error.ErrorCode.CORRUPT_LOG, "Domain delta.clustering of table "
                    + log.location() + " at version " + version + " is not valid JSON: " + d.configuration(), e);
        }
    }

    public ScanBuilder scanBuilder() {
        return new ScanBuilder(this);
    }

    public String tableLocation() {
        return log.location();
    }

    public TableLog tableLog() {
        return log;
    }

    @Override
    public String toString() {
        return "Snapshot[" + log.location() + " @ " + version + ", " + activeFileSet.size() + " files]";
    }
}

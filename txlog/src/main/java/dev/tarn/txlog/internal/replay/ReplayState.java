package dev.tarn.txlog.internal.replay;

import static java.util.Objects.requireNonNull;

import dev.tarn.txlog.action.Action;
import dev.tarn.txlog.action.AddFile;
import dev.tarn.txlog.action.CommitInfo;
import dev.tarn.txlog.action.DomainMetadata;
import dev.tarn.txlog.action.Metadata;
import dev.tarn.txlog.action.Protocol;
import dev.tarn.txlog.action.RemoveFile;
import dev.tarn.txlog.action.SetTransaction;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Table state built by applying actions oldest to newest (PROTOCOL.md "Action Reconciliation"):
 * <ul>
 *   <li>the newest protocol and metaData win;</li>
 *   <li>txn: the newest per appId; domainMetadata: the newest per domain, a {@code removed} one deletes it;</li>
 *   <li>add and remove are keyed by (canonical path, DV unique id): an add replaces an earlier add or tombstone of the
 *       same key, a remove deletes the earlier add of its key and becomes a tombstone.</li>
 * </ul>
 * Every step is a hash-map operation, so replay is linear in the number of actions.
 */
public final class ReplayState {
    private final String tableLocation;
    private Protocol protocol;
    private Metadata metadata;
    private final ActiveFiles adds;
    private final FileMap<RemoveFile> tombstones;
    private final LinkedHashMap<String, SetTransaction> txns;
    private final LinkedHashMap<String, DomainMetadata> domains;
    private CommitInfo lastCommitInfo;

    public ReplayState(String tableLocation) {
        this.tableLocation = requireNonNull(tableLocation, "tableLocation is null");
        // The key functions capture only the location, so shared maps keep no replay state alive.
        String table = this.tableLocation;
        this.adds = new ActiveFiles(table);
        this.tombstones = new FileMap<>(r -> FileKey.of(table, r.path(), r.deletionVectorUniqueId()));
        this.txns = new LinkedHashMap<>();
        this.domains = new LinkedHashMap<>();
    }

    /**
     * A state continuing from an earlier one (incremental refresh: only the log tail is replayed). The frozen file
     * maps are shared, not copied, so this costs in proportion to their own changes, not to the table.
     */
    public ReplayState(String tableLocation, Protocol protocol, Metadata metadata, ActiveFiles activeFiles,
                       FileMap<RemoveFile> tombstoneFiles, Collection<SetTransaction> txnList,
                       Collection<DomainMetadata> domainList) {
        requireNonNull(activeFiles, "activeFiles is null");
        requireNonNull(tombstoneFiles, "tombstoneFiles is null");
        this.tableLocation = requireNonNull(tableLocation, "tableLocation is null");
        this.protocol = protocol;
        this.metadata = metadata;
        this.adds = activeFiles.overlay();
        this.tombstones = tombstoneFiles.overlay();
        this.txns = new LinkedHashMap<>();
        this.domains = new LinkedHashMap<>();
        txnList.forEach(t -> txns.put(t.appId(), t));
        domainList.forEach(d -> domains.put(d.domain(), d));
    }

    public FileKey key(String logPath, String dvId) {
        return FileKey.of(tableLocation, logPath, dvId);
    }

    /** Applies one commit's actions, in order. */
    public void startCommit() {
        lastCommitInfo = null;
    }

    public void apply(Action action) {
        if (action instanceof AddFile a) {
            FileKey k = key(a.path(), a.deletionVectorUniqueId());
            tombstones.remove(k);
            adds.put(k, a); // moves the key to the end, so iteration order follows the newest add
        } else if (action instanceof RemoveFile r) {
            FileKey k = key(r.path(), r.deletionVectorUniqueId());
            adds.remove(k);
            tombstones.put(k, r);
        } else {
            applyOther(action);
        }
    }

    /**
     * Applies one action of a checkpoint, before any commit. Its file actions are unique by key (PROTOCOL.md
     * "Checkpoints": a checkpoint holds each logical file once), so they are appended without the key lookups and
     * reordering a commit needs.
     */
    public void applyCheckpointAction(Action action) {
        if (action instanceof AddFile a) {
            adds.putUnique(a);
        } else if (action instanceof RemoveFile r) {
            tombstones.putUnique(r);
        } else {
            applyOther(action);
        }
    }

    /**
     * Where a checkpoint's add rows may be appended by column, without a record per row; null once a commit has
     * been applied (then adds go through {@link #applyCheckpointAction}).
     */
    public AddColumns.Builder checkpointAdds() {
        return adds.baseBuilder();
    }

    private void applyOther(Action action) {
        if (action instanceof Metadata m) {
            metadata = m;
        } else if (action instanceof Protocol p) {
            protocol = p;
        } else if (action instanceof SetTransaction t) {
            txns.put(t.appId(), t);
        } else if (action instanceof DomainMetadata d) {
            if (d.removed()) {
                domains.remove(d.domain());
            } else {
                domains.put(d.domain(), d);
            }
        } else if (action instanceof CommitInfo c) {
            lastCommitInfo = c;
        }
        // cdc, checkpointMetadata and sidecar actions do not change the table state.
    }

    public Protocol protocol() {
        return protocol;
    }

    public Metadata metadata() {
        return metadata;
    }

    /** The active files, frozen: the state must not be applied to afterwards. */
    public ActiveFiles freezeActiveFiles() {
        return adds.freeze();
    }

    /** The tombstones, frozen: the state must not be applied to afterwards. */
    public FileMap<RemoveFile> freezeTombstones() {
        return tombstones.freeze();
    }

    public Map<String, SetTransaction> txns() {
        return txns;
    }

    public Map<String, DomainMetadata> domains() {
        return domains;
    }

    /** The commitInfo of the last commit applied, or null. */
    public CommitInfo lastCommitInfo() {
        return lastCommitInfo;
    }
}

package dev.tarn.txlog.internal.commit;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.txlog.action.Action;
import dev.tarn.txlog.action.AddFile;
import dev.tarn.txlog.action.DomainMetadata;
import dev.tarn.txlog.action.Metadata;
import dev.tarn.txlog.action.Protocol;
import dev.tarn.txlog.action.RemoveFile;
import dev.tarn.txlog.action.SetTransaction;
import dev.tarn.txlog.internal.replay.FileKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Decides whether a commit that won a version race invalidates ours (optimistic concurrency, PROTOCOL.md
 * "Creation of New Log Entries": writers must not overwrite an existing version, so a loser re-checks and retries).
 * Conflicts, following delta-spark:
 * <ul>
 *   <li>the winner changed the protocol or the metadata, or created the table we were creating;</li>
 *   <li>the winner removed a file we read or removed (same path and DV);</li>
 *   <li>the winner added a file our read predicate (or a whole-table read) might have matched: under Serializable
 *       isolation any such file, under WriteSerializable only files of a winner that was not a blind append (so
 *       concurrent INSERTs never fail a DELETE, UPDATE or MERGE);</li>
 *   <li>the winner wrote a txn for one of our application ids, or a domain we also change.</li>
 * </ul>
 * A blind append conflicts only on the first and last points.
 */
public final class ConflictChecker {
    private final String table;
    private final boolean creatingTable;
    private final Set<FileKey> readOrRemoved;
    private final boolean readWholeTable;
    private final java.util.function.Predicate<AddFile> addConflicts;
    private final boolean ignoreBlindAppends;
    private final Set<String> appIds;
    private final Set<String> domains;
    private final java.util.function.BiFunction<String, String, FileKey> keyer;

    /**
     * @param addConflicts which files added by a winner would have changed what we read (Serializable isolation
     *     with a read predicate); null when added files never conflict
     * @param ignoreBlindAppends WriteSerializable: files added by a winner that was a blind append never conflict
     */
    public ConflictChecker(String table, boolean creatingTable, Set<FileKey> readOrRemoved, boolean readWholeTable,
                           java.util.function.Predicate<AddFile> addConflicts, boolean ignoreBlindAppends,
                           Set<String> appIds, Set<String> domains,
                           java.util.function.BiFunction<String, String, FileKey> keyer) {
        this.table = table;
        this.creatingTable = creatingTable;
        this.readOrRemoved = readOrRemoved;
        this.readWholeTable = readWholeTable;
        this.addConflicts = addConflicts;
        this.ignoreBlindAppends = ignoreBlindAppends;
        this.appIds = appIds;
        this.domains = domains;
        this.keyer = keyer;
    }

    /** Throws {@code CONCURRENT_MODIFICATION} when the winning commit at {@code version} conflicts with ours. */
    public void check(long version, List<Action> winner) {
        if (creatingTable) {
            throw conflict(version, "the table was created concurrently");
        }
        List<String> removedFiles = new ArrayList<>();
        List<String> addedFiles = new ArrayList<>();
        boolean winnerBlindAppend = winner.stream().anyMatch(a -> a instanceof dev.tarn.txlog.action.CommitInfo ci
                && Boolean.TRUE.equals(ci.isBlindAppend()));
        boolean checkAdds = addConflicts != null && !(ignoreBlindAppends && winnerBlindAppend);
        for (Action a : winner) {
            if (a instanceof Protocol) {
                throw conflict(version, "it changed the table protocol");
            } else if (a instanceof Metadata) {
                throw conflict(version, "it changed the table metadata (schema, partitioning or properties)");
            } else if (a instanceof RemoveFile r) {
                if (readOrRemoved.contains(keyer.apply(r.path(), r.deletionVectorUniqueId()))
                        || (readWholeTable && r.dataChange())) {
                    removedFiles.add(r.path());
                }
            } else if (a instanceof AddFile add) {
                if (add.dataChange() && checkAdds && addConflicts.test(add)) {
                    addedFiles.add(add.path());
                }
            } else if (a instanceof SetTransaction t && appIds.contains(t.appId())) {
                throw conflict(version, "it committed a transaction for application id " + t.appId());
            } else if (a instanceof DomainMetadata d && domains.contains(d.domain())) {
                throw conflict(version, "it changed domain metadata " + d.domain());
            }
        }
        if (!removedFiles.isEmpty()) {
            throw conflict(version, "it removed files this transaction read or removed: " + limit(removedFiles));
        }
        if (!addedFiles.isEmpty()) {
            throw conflict(version, "it added files this transaction would have read: " + limit(addedFiles));
        }
    }

    private static String limit(List<String> files) {
        return files.size() <= 10 ? String.join(", ", files)
                : String.join(", ", files.subList(0, 10)) + " and " + (files.size() - 10) + " more";
    }

    private TarnException conflict(long version, String why) {
        return new TarnException(ErrorCode.CONCURRENT_MODIFICATION, "Concurrent modification of table " + table
                + ": version " + version + " was committed by another writer, and " + why
                + ". Re-run the statement against the new version.");
    }
}

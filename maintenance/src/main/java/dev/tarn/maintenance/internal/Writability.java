package dev.tarn.maintenance.internal;

import dev.tarn.error.TarnException;
import dev.tarn.txlog.Snapshot;
import dev.tarn.txlog.internal.replay.TableFeatures;

/**
 * Whether Tarn may write a table's protocol (PROTOCOL.md "Writer Version Requirements", "Table Features"), asked
 * before maintenance does expensive work that would end in a refused commit.
 */
public final class Writability {
    private Writability() {}

    /** Throws the protocol error a commit would throw. */
    public static void check(Snapshot snapshot) {
        // txlog offers the check only internally for now; see the maintenance report.
        TableFeatures.checkWritable(snapshot.protocol(), snapshot.metadata(), snapshot.tableLocation());
        if (snapshot.tableLog().catalog().isPresent()) {
            // Commits to catalog-managed tables are refused by TableLog.newTransaction; fail before rewriting.
            snapshot.tableLog().newTransaction(snapshot, "OPTIMIZE", java.util.Map.of());
        }
    }

    public static boolean isWritable(Snapshot snapshot) {
        try {
            check(snapshot);
            return true;
        } catch (TarnException e) {
            return false;
        }
    }
}

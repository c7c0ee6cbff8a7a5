package dev.tarn.txlog;

import static java.util.Objects.requireNonNull;

import dev.tarn.txlog.action.Action;
import java.util.List;

/**
 * One commit of the log, as change-data readers need it (PROTOCOL.md "Add CDC File", "Reader Requirements for
 * AddCDCFile"): its version, its timestamp ({@code commitInfo.inCommitTimestamp} when present, else the commit
 * file's modification time) and its actions in file order.
 */
public record Commit(long version, long timestamp, List<Action> actions) {
    public Commit {
        actions = List.copyOf(requireNonNull(actions, "actions is null"));
        if (version < 0) {
            throw new IllegalArgumentException("version is negative: " + version);
        }
    }
}

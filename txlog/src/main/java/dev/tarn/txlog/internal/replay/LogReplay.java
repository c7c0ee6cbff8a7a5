package dev.tarn.txlog.internal.replay;

import dev.tarn.storage.fs.FileIO;
import dev.tarn.txlog.action.Action;
import dev.tarn.txlog.internal.checkpoint.CheckpointReader;
import dev.tarn.txlog.internal.json.ActionJson;
import java.util.List;

/**
 * Reconstructs table state from a {@link LogSegment}: the checkpoint's actions first, then each commit in version
 * order (PROTOCOL.md "Action Reconciliation"). Each action is one hash-map update, so replay is linear.
 */
public final class LogReplay {
    private LogReplay() {}

    public static ReplayState replay(FileIO io, String tableLocation, LogSegment segment) {
        ReplayState state = new ReplayState(tableLocation);
        if (segment.checkpoint() != null) {
            CheckpointReader.read(io, tableLocation, segment.logDirectory(), segment.checkpoint(),
                    state::applyCheckpointAction, state.checkpointAdds());
        }
        applyCommits(io, state, segment.commits());
        return state;
    }

    /** Applies commit files, oldest first, to a state. */
    public static void applyCommits(FileIO io, ReplayState state, List<LogFile> commits) {
        for (LogFile commit : commits) {
            state.startCommit();
            for (Action a : readCommit(io, commit.location())) {
                state.apply(a);
            }
        }
    }

    public static List<Action> readCommit(FileIO io, String location) {
        return ActionJson.parseFile(io.newInputFile(location).readAllBytes(), location);
    }
}

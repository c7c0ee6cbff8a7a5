package dev.tarn.txlog.internal.replay;

import java.util.List;

/**
 * What replaying a table at {@code version} reads: an optional checkpoint and the contiguous commits after it.
 *
 * @param checkpoint null when replay starts at version 0
 * @param commits commit files from the checkpoint version + 1 (or 0) through {@code version}, ascending
 */
public record LogSegment(String logDirectory, long version, CheckpointInstance checkpoint, List<LogFile> commits) {
    public LogSegment {
        commits = List.copyOf(commits);
    }

    /** Modification time of the newest file of the segment: the commit timestamp without in-commit timestamps. */
    public long lastModificationTime() {
        if (!commits.isEmpty()) {
            return commits.get(commits.size() - 1).entry().modificationTimeMillis();
        }
        return checkpoint == null ? 0 : checkpoint.files().get(0).entry().modificationTimeMillis();
    }
}

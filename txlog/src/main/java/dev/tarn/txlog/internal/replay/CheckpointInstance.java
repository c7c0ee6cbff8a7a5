package dev.tarn.txlog.internal.replay;

import java.util.List;

/** The files of one complete checkpoint: one classic or UUID-named file, or every part of a multi-part one. */
public record CheckpointInstance(long version, LogFile.Kind kind, List<LogFile> files) {
    public CheckpointInstance {
        files = List.copyOf(files);
        if (files.isEmpty()) {
            throw new IllegalArgumentException("a checkpoint has at least one file");
        }
    }
}

package dev.tarn.shell;

import dev.tarn.storage.fs.FileEntry;
import dev.tarn.storage.fs.FileIO;
import dev.tarn.storage.fs.InputFile;
import dev.tarn.storage.fs.OutputFile;
import java.util.List;

/**
 * A FileIO that runs an action once, just before the first commit file is created through it: a hand-written seam
 * that lets another writer commit between a maintenance command's read and its commit.
 */
final class RacingCommitFileIO implements FileIO {
    private final FileIO delegate;
    private Runnable beforeCommit;

    RacingCommitFileIO(FileIO delegate, Runnable beforeCommit) {
        this.delegate = delegate;
        this.beforeCommit = beforeCommit;
    }

    @Override
    public InputFile newInputFile(String location) {
        return delegate.newInputFile(location);
    }

    @Override
    public OutputFile newOutputFile(String location) {
        return delegate.newOutputFile(location);
    }

    @Override
    public boolean createExclusive(String location, byte[] content) {
        if (beforeCommit != null && location.contains("/_delta_log/") && location.endsWith(".json")) {
            Runnable r = beforeCommit;
            beforeCommit = null;
            r.run();
        }
        return delegate.createExclusive(location, content);
    }

    @Override
    public List<FileEntry> list(String directory) {
        return delegate.list(directory);
    }

    @Override
    public List<FileEntry> listRecursively(String directory) {
        return delegate.listRecursively(directory);
    }

    @Override
    public boolean delete(String location) {
        return delegate.delete(location);
    }

    @Override
    public boolean exists(String location) {
        return delegate.exists(location);
    }
}

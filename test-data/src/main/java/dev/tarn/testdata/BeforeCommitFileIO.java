package dev.tarn.testdata;

import static java.util.Objects.requireNonNull;

import dev.tarn.storage.fs.FileEntry;
import dev.tarn.storage.fs.FileIO;
import dev.tarn.storage.fs.InputFile;
import dev.tarn.storage.fs.OutputFile;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A FileIO that runs an action just before a Delta commit file ({@code _delta_log/<20 digits>.json}) is created
 * through it: a hand-written seam that lets another writer commit between a writer's read and its commit, so tests
 * can race commits deterministically.
 */
public final class BeforeCommitFileIO implements FileIO {
    private static final Pattern COMMIT_FILE = Pattern.compile(".*/_delta_log/\\d{20}\\.json$");

    private final FileIO delegate;
    private final boolean everyCommit;
    private Runnable beforeCommit;

    private BeforeCommitFileIO(FileIO delegate, Runnable beforeCommit, boolean everyCommit) {
        this.delegate = requireNonNull(delegate, "delegate is null");
        this.beforeCommit = requireNonNull(beforeCommit, "beforeCommit is null");
        this.everyCommit = everyCommit;
    }

    /** Runs {@code beforeCommit} once, before the first commit file created through this FileIO. */
    public static BeforeCommitFileIO once(FileIO delegate, Runnable beforeCommit) {
        return new BeforeCommitFileIO(delegate, beforeCommit, false);
    }

    /** Runs {@code beforeCommit} before every commit file created through this FileIO. */
    public static BeforeCommitFileIO everyCommit(FileIO delegate, Runnable beforeCommit) {
        return new BeforeCommitFileIO(delegate, beforeCommit, true);
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
        Runnable action = beforeCommit;
        if (action != null && COMMIT_FILE.matcher(location).matches()) {
            if (!everyCommit) {
                beforeCommit = null;
            }
            action.run();
        }
        return delegate.createExclusive(location, content);
    }

    @Override
    public List<FileEntry> list(String directory) {
        return delegate.list(directory);
    }

    @Override
    public List<FileEntry> listFrom(String directory, String startName) {
        return delegate.listFrom(directory, startName);
    }

    @Override
    public List<FileEntry> entries(String directory, List<String> names) {
        return delegate.entries(directory, names);
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

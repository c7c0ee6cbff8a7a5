package dev.tarn.testdata;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.storage.fs.FileEntry;
import dev.tarn.storage.fs.FileIO;
import dev.tarn.storage.fs.InputFile;
import dev.tarn.storage.fs.OutputFile;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A {@link FileIO} that fails chosen operations with an {@code IO_ERROR}, so tests can check that a failure at any
 * step leaves a table as it was. Rules are added with {@link #failWhen}; each rule fires for every match until
 * removed with {@link #clear()}.
 */
public final class FaultInjectingFileIO implements FileIO {
    public enum Operation { READ, WRITE, CREATE_EXCLUSIVE, LIST, DELETE }

    private record Rule(Operation op, Predicate<String> location) {}

    private final FileIO delegate;
    private final List<Rule> rules = new CopyOnWriteArrayList<>();

    public FaultInjectingFileIO(FileIO delegate) {
        this.delegate = requireNonNull(delegate, "delegate is null");
    }

    public FaultInjectingFileIO failWhen(Operation op, Predicate<String> location) {
        rules.add(new Rule(requireNonNull(op, "op is null"), requireNonNull(location, "location is null")));
        return this;
    }

    public void clear() {
        rules.clear();
    }

    private void check(Operation op, String location) {
        for (Rule r : rules) {
            if (r.op() == op && r.location().test(location)) {
                throw new TarnException(ErrorCode.IO_ERROR, "Injected " + op + " failure at " + location);
            }
        }
    }

    @Override
    public InputFile newInputFile(String location) {
        check(Operation.READ, location);
        return delegate.newInputFile(location);
    }

    @Override
    public OutputFile newOutputFile(String location) {
        check(Operation.WRITE, location);
        return delegate.newOutputFile(location);
    }

    @Override
    public boolean createExclusive(String location, byte[] content) {
        check(Operation.CREATE_EXCLUSIVE, location);
        return delegate.createExclusive(location, content);
    }

    @Override
    public List<FileEntry> list(String directory) {
        check(Operation.LIST, directory);
        return delegate.list(directory);
    }

    @Override
    public List<FileEntry> listFrom(String directory, String startName) {
        check(Operation.LIST, directory);
        return delegate.listFrom(directory, startName);
    }

    @Override
    public List<FileEntry> entries(String directory, List<String> names) {
        check(Operation.LIST, directory);
        return delegate.entries(directory, names);
    }

    @Override
    public List<FileEntry> listRecursively(String directory) {
        check(Operation.LIST, directory);
        return delegate.listRecursively(directory);
    }

    @Override
    public boolean delete(String location) {
        check(Operation.DELETE, location);
        return delegate.delete(location);
    }

    @Override
    public boolean exists(String location) {
        return delegate.exists(location);
    }
}

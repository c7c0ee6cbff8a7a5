package dev.tarn.testdata;

import static java.util.Objects.requireNonNull;

import dev.tarn.storage.fs.FileEntry;
import dev.tarn.storage.fs.FileIO;
import dev.tarn.storage.fs.InputFile;
import dev.tarn.storage.fs.OutputFile;
import dev.tarn.storage.fs.PositionOutputStream;
import dev.tarn.storage.fs.SeekableInputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A {@link FileIO} that counts what passes through it, so tests can assert on I/O (e.g. that a selective predicate
 * opened only a few data files). Thread-safe.
 */
public final class CountingFileIO implements FileIO {
    private final FileIO delegate;
    private final Map<String, AtomicLong> opens = new ConcurrentHashMap<>();
    private final AtomicLong lists = new AtomicLong();
    private final AtomicLong creates = new AtomicLong();
    private final AtomicLong deletes = new AtomicLong();

    public CountingFileIO(FileIO delegate) {
        this.delegate = requireNonNull(delegate, "delegate is null");
    }

    /** Streams opened for reading, per location. */
    public Map<String, Long> openedFiles() {
        Map<String, Long> out = new java.util.TreeMap<>();
        opens.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** How many read streams were opened on locations matching the filter. */
    public long openCount(Predicate<String> locationFilter) {
        return opens.entrySet().stream().filter(e -> locationFilter.test(e.getKey())).mapToLong(e -> e.getValue().get()).sum();
    }

    /** Distinct Parquet data files opened (log checkpoints excluded). */
    public long dataFilesOpened() {
        return opens.keySet().stream().filter(l -> l.endsWith(".parquet") && !l.contains("/_delta_log/")).count();
    }

    public long listCalls() {
        return lists.get();
    }

    public long createCalls() {
        return creates.get();
    }

    public long deleteCalls() {
        return deletes.get();
    }

    public void reset() {
        opens.clear();
        lists.set(0);
        creates.set(0);
        deletes.set(0);
    }

    @Override
    public InputFile newInputFile(String location) {
        InputFile in = delegate.newInputFile(location);
        return new InputFile() {
            @Override
            public String location() {
                return in.location();
            }

            @Override
            public long length() {
                return in.length();
            }

            @Override
            public SeekableInputStream newStream() {
                SeekableInputStream s = in.newStream();
                opens.computeIfAbsent(location, k -> new AtomicLong()).incrementAndGet();
                return s;
            }

            @Override
            public byte[] readAllBytes() {
                byte[] b = in.readAllBytes();
                opens.computeIfAbsent(location, k -> new AtomicLong()).incrementAndGet();
                return b;
            }
        };
    }

    @Override
    public OutputFile newOutputFile(String location) {
        OutputFile out = delegate.newOutputFile(location);
        return new OutputFile() {
            @Override
            public String location() {
                return out.location();
            }

            @Override
            public PositionOutputStream create() {
                creates.incrementAndGet();
                return out.create();
            }
        };
    }

    @Override
    public boolean createExclusive(String location, byte[] content) {
        creates.incrementAndGet();
        return delegate.createExclusive(location, content);
    }

    @Override
    public List<FileEntry> list(String directory) {
        lists.incrementAndGet();
        return delegate.list(directory);
    }

    @Override
    public List<FileEntry> listFrom(String directory, String startName) {
        lists.incrementAndGet();
        return delegate.listFrom(directory, startName);
    }

    /** A lookup by name stands in for a listing, so it counts as one. */
    @Override
    public List<FileEntry> entries(String directory, List<String> names) {
        lists.incrementAndGet();
        return delegate.entries(directory, names);
    }

    @Override
    public List<FileEntry> listRecursively(String directory) {
        lists.incrementAndGet();
        return delegate.listRecursively(directory);
    }

    @Override
    public boolean delete(String location) {
        deletes.incrementAndGet();
        return delegate.delete(location);
    }

    @Override
    public boolean exists(String location) {
        return delegate.exists(location);
    }
}

package dev.tarn.storage.fs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * {@link FileIO} over the local file system. By default {@link #createExclusive} forces each new file (a commit) to
 * disk before publishing it; {@link #withoutSync()} skips that for lakes that do not outlive the process (temporary
 * test lakes), where an fsync per commit is most of a small statement's wall time. Atomicity and exclusivity of
 * {@code createExclusive} are the same either way; only durability after a crash of the machine is lost.
 */
public final class LocalFileIO implements FileIO {
    private final boolean sync;

    /** Local files, commits forced to disk. */
    public LocalFileIO() {
        this(true);
    }

    private LocalFileIO(boolean sync) {
        this.sync = sync;
    }

    /** Local files whose commits are not forced to disk (for throw-away lakes; see the class comment). */
    public static LocalFileIO withoutSync() {
        return new LocalFileIO(false);
    }

    /** Whether {@link #createExclusive} forces files to disk. */
    public boolean syncs() {
        return sync;
    }

    /** Resolves a location (absolute path or {@code file:} URI) to a path. */
    public static Path toPath(String location) {
        if (location.startsWith("file:")) {
            return Paths.get(java.net.URI.create(location.startsWith("file://") ? location : "file://" + location.substring(5)));
        }
        return Paths.get(location);
    }

    @Override
    public InputFile newInputFile(String location) {
        Path path = toPath(location);
        return new InputFile() {
            @Override
            public String location() {
                return location;
            }

            @Override
            public long length() {
                try {
                    return Files.size(path);
                } catch (IOException e) {
                    throw IoErrors.wrap(location, "get the size of", e);
                }
            }

            @Override
            public SeekableInputStream newStream() {
                try {
                    return new LocalSeekableInputStream(FileChannel.open(path, StandardOpenOption.READ));
                } catch (IOException e) {
                    throw IoErrors.wrap(location, "open", e);
                }
            }

            @Override
            public byte[] readAllBytes() {
                try {
                    return Files.readAllBytes(path);
                } catch (IOException e) {
                    throw IoErrors.wrap(location, "read", e);
                }
            }
        };
    }

    @Override
    public OutputFile newOutputFile(String location) {
        Path path = toPath(location);
        return new OutputFile() {
            @Override
            public String location() {
                return location;
            }

            @Override
            public PositionOutputStream create() {
                try {
                    Path parent = path.getParent();
                    if (parent != null) {
                        Files.createDirectories(parent);
                    }
                    return new LocalPositionOutputStream(Files.newOutputStream(path));
                } catch (IOException e) {
                    throw IoErrors.wrap(location, "create", e);
                }
            }
        };
    }

    /**
     * Writes the content to a private temporary file, then hard-links it to the target name. {@code link(2)} fails
     * when the target exists, so exactly one writer wins, and the target appears complete or not at all.
     */
    @Override
    public boolean createExclusive(String location, byte[] content) {
        Path target = toPath(location);
        Path dir = target.getParent();
        Path temp = dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.createDirectories(dir);
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                if (sync) {
                    ch.force(true);
                }
            }
            try {
                Files.createLink(target, temp);
                return true;
            } catch (FileAlreadyExistsException e) {
                return false;
            } catch (UnsupportedOperationException e) {
                // No hard links on this file system: fall back to exclusive create, which is atomic for existence.
                try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    out.write(content);
                    return true;
                } catch (FileAlreadyExistsException e2) {
                    return false;
                }
            }
        } catch (IOException e) {
            throw IoErrors.wrap(location, "create", e);
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // A leftover hidden temp file is harmless: readers ignore hidden files.
            }
        }
    }

    @Override
    public List<FileEntry> list(String directory) {
        Path dir = toPath(directory);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<FileEntry> result = new ArrayList<>();
        try (Stream<Path> children = Files.list(dir)) {
            for (Path child : (Iterable<Path>) children::iterator) {
                entry(child).ifPresent(result::add);
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw IoErrors.wrap(directory, "list", e);
        }
        result.sort(Comparator.comparing(FileEntry::name));
        return result;
    }

    /**
     * Reads bare names first (no path object or metadata per entry), so entries before {@code startName} cost
     * almost nothing; only the rest are looked up.
     */
    @Override
    public List<FileEntry> listFrom(String directory, String startName) {
        java.util.Objects.requireNonNull(startName, "startName is null");
        Path dir = toPath(directory);
        String[] names = dir.toFile().list();
        if (names == null) {
            if (Files.exists(dir) && Files.isDirectory(dir)) {
                return list(directory); // unreadable by name: the regular listing reports the error
            }
            return List.of();
        }
        List<FileEntry> result = new ArrayList<>();
        try {
            for (String name : names) {
                if (name.compareTo(startName) >= 0) {
                    entry(dir.resolve(name)).ifPresent(result::add);
                }
            }
        } catch (IOException e) {
            throw IoErrors.wrap(directory, "list", e);
        }
        result.sort(Comparator.comparing(FileEntry::name));
        return result;
    }

    /** One attribute lookup per name: no directory read, whatever the directory holds. */
    @Override
    public List<FileEntry> entries(String directory, List<String> names) {
        java.util.Objects.requireNonNull(names, "names is null");
        Path dir = toPath(directory);
        List<FileEntry> result = new ArrayList<>(names.size());
        try {
            for (String name : names) {
                if (name.isEmpty() || name.indexOf('/') >= 0) {
                    throw new IllegalArgumentException("Not a file name: '" + name + "'");
                }
                entry(dir.resolve(name)).ifPresent(result::add);
            }
        } catch (IOException e) {
            throw IoErrors.wrap(directory, "list", e);
        }
        return result;
    }

    @Override
    public List<FileEntry> listRecursively(String directory) {
        Path dir = toPath(directory);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<FileEntry> result = new ArrayList<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (Files.isRegularFile(p)) {
                    entry(p).ifPresent(result::add);
                }
            }
        } catch (IOException e) {
            throw IoErrors.wrap(directory, "list", e);
        }
        result.sort(Comparator.comparing(FileEntry::location));
        return result;
    }

    private static java.util.Optional<FileEntry> entry(Path p) throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            return java.util.Optional.of(new FileEntry(p.toString(), p.getFileName().toString(),
                    a.isDirectory() ? 0 : a.size(), a.lastModifiedTime().toMillis(), a.isDirectory()));
        } catch (NoSuchFileException e) {
            return java.util.Optional.empty(); // deleted while listing
        }
    }

    @Override
    public boolean delete(String location) {
        try {
            return Files.deleteIfExists(toPath(location));
        } catch (IOException e) {
            throw IoErrors.wrap(location, "delete", e);
        }
    }

    @Override
    public boolean exists(String location) {
        return Files.exists(toPath(location));
    }

    private static final class LocalSeekableInputStream extends SeekableInputStream {
        private final FileChannel channel;
        private final byte[] one = new byte[1];

        LocalSeekableInputStream(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public long position() throws IOException {
            return channel.position();
        }

        @Override
        public void seek(long newPosition) throws IOException {
            channel.position(newPosition);
        }

        @Override
        public int read() throws IOException {
            int n = read(one, 0, 1);
            return n <= 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            return channel.read(ByteBuffer.wrap(b, off, len));
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    private static final class LocalPositionOutputStream extends PositionOutputStream {
        private final OutputStream out;
        private long position;

        LocalPositionOutputStream(OutputStream out) {
            this.out = new java.io.BufferedOutputStream(out, 1 << 16);
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            position++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            position += len;
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    @Override
    public String toString() {
        return "LocalFileIO";
    }

}

package dev.tarn.storage.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalFileIOTest {
    private final LocalFileIO io = new LocalFileIO();

    @Test
    void exactlyOneOfManyConcurrentExclusiveCreatesWins(@TempDir Path dir) throws Exception {
        String target = dir.resolve("_delta_log/00000000000000000001.json").toString();
        int writers = 16;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            byte[] content = ("writer " + i + "\n").repeat(1000).getBytes(StandardCharsets.UTF_8);
            results.add(pool.submit(() -> {
                start.await();
                return io.createExclusive(target, content);
            }));
        }
        start.countDown();
        int wins = 0;
        for (Future<Boolean> f : results) {
            wins += f.get() ? 1 : 0;
        }
        pool.shutdown();
        assertEquals(1, wins);
        String content = Files.readString(Path.of(target));
        String firstLine = content.substring(0, content.indexOf('\n') + 1);
        assertEquals(firstLine.repeat(1000), content, "the winner's content is complete and unmixed");
        // no temporary files are left behind
        assertEquals(List.of("00000000000000000001.json"),
                io.list(dir.resolve("_delta_log").toString()).stream().map(FileEntry::name).toList());
    }

    @Test
    void withoutSyncExclusiveCreateStillHasExactlyOneWinnerAndNoTemporaryFiles(@TempDir Path dir) throws Exception {
        LocalFileIO unsynced = LocalFileIO.withoutSync();
        assertFalse(unsynced.syncs());
        assertTrue(io.syncs());
        String target = dir.resolve("_delta_log/00000000000000000000.json").toString();
        assertTrue(unsynced.createExclusive(target, "first".getBytes(StandardCharsets.UTF_8)));
        assertFalse(unsynced.createExclusive(target, "second".getBytes(StandardCharsets.UTF_8)));
        assertEquals("first", Files.readString(Path.of(target)));
        assertEquals(List.of("00000000000000000000.json"),
                unsynced.list(dir.resolve("_delta_log").toString()).stream().map(FileEntry::name).toList());
    }

    @Test
    void entriesLooksUpNamesInTheirOrderLikeTheDefaultDoes(@TempDir Path dir) throws Exception {
        for (String name : List.of("a", "b", "c")) {
            Files.writeString(dir.resolve(name), name + name);
        }
        Files.createDirectory(dir.resolve("d"));
        List<String> names = List.of("c", "missing", "a", "d");
        List<FileEntry> found = io.entries(dir.toString(), names);
        assertEquals(List.of("c", "a", "d"), found.stream().map(FileEntry::name).toList());
        assertEquals(2, found.get(0).size());
        assertTrue(found.get(2).directory());
        assertEquals(dir.resolve("c").toString(), found.get(0).location());
        // The default, built on listFrom, gives the same entries.
        FileIO listing = new FileIO() {
            @Override public InputFile newInputFile(String location) { return io.newInputFile(location); }
            @Override public OutputFile newOutputFile(String location) { return io.newOutputFile(location); }
            @Override public boolean createExclusive(String location, byte[] content) { return false; }
            @Override public List<FileEntry> list(String directory) { return io.list(directory); }
            @Override public List<FileEntry> listRecursively(String directory) { return List.of(); }
            @Override public boolean delete(String location) { return false; }
            @Override public boolean exists(String location) { return io.exists(location); }
        };
        assertEquals(found, listing.entries(dir.toString(), names));
        assertEquals(List.of(), io.entries(dir.resolve("nowhere").toString(), List.of("a")));
        assertThrows(IllegalArgumentException.class, () -> io.entries(dir.toString(), List.of("x/y")));
    }

    @Test
    void readWriteListDelete(@TempDir Path dir) throws Exception {
        String f = dir.resolve("a/b/c.bin").toString();
        try (PositionOutputStream out = io.newOutputFile(f).create()) {
            out.write(new byte[] {1, 2, 3});
            assertEquals(3, out.position());
        }
        assertArrayEquals(new byte[] {1, 2, 3}, io.newInputFile(f).readAllBytes());
        try (SeekableInputStream in = io.newInputFile(f).newStream()) {
            in.seek(2);
            assertEquals(3, in.read());
            assertEquals(-1, in.read());
        }
        assertEquals(3, io.newInputFile(f).length());
        assertEquals(1, io.listRecursively(dir.toString()).size());
        assertTrue(io.list(dir.resolve("missing").toString()).isEmpty());
        assertTrue(io.delete(f));
        assertFalse(io.delete(f));
        TarnException e = assertThrows(TarnException.class, () -> io.newInputFile(f).readAllBytes());
        assertEquals(ErrorCode.MISSING_FILE, e.errorCode());
        assertTrue(e.getMessage().contains(f), e.getMessage());
    }
}

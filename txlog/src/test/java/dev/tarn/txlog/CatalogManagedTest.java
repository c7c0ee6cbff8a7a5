package dev.tarn.txlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.storage.fs.LocalFileIO;
import dev.tarn.txlog.action.Action;
import dev.tarn.txlog.action.CommitInfo;
import dev.tarn.txlog.action.Metadata;
import dev.tarn.txlog.action.Protocol;
import dev.tarn.txlog.internal.json.ActionJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading catalog-managed tables (PROTOCOL.md "Reading Catalog-managed Tables"): the catalog's ratified commits,
 * its authority over the latest version and over published files, and the refusals around it.
 */
class CatalogManagedTest {
    private static final long T0 = 1_750_000_000_000L;

    @TempDir
    Path dir;

    private final LocalFileIO io = new LocalFileIO();

    @BeforeEach
    void createTable() throws Exception {
        Protocol protocol = new Protocol(3, 7, Set.of("catalogManaged"),
                Set.of("catalogManaged", "inCommitTimestamp"));
        Metadata metadata = Metadata.create(TestTables.SCHEMA, List.of("part"),
                Map.of("delta.enableInCommitTimestamps", "true"), "t", null);
        write("_delta_log/00000000000000000000.json", commitInfo(0), protocol, metadata);
    }

    /** Writes a commit file of hand-made actions. */
    private Path write(String relative, Action... actions) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (Action a : actions) {
            sb.append(ActionJson.toLine(a)).append('\n');
        }
        Path p = dir.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, sb.toString(), StandardCharsets.UTF_8);
        return p;
    }

    private static CommitInfo commitInfo(long version) {
        return new CommitInfo(T0 + version, T0 + version, "WRITE", Map.of(), version == 0 ? null : version - 1,
                "Serializable", true, Map.of(), "test", "txn-" + version);
    }

    private String staged(long version, String uuid, String fileName) throws Exception {
        String name = String.format("%020d.%s.json", version, uuid);
        write("_delta_log/_staged_commits/" + name, commitInfo(version), TestTables.file(fileName, "a", 1, 10));
        return name;
    }

    private static Set<String> paths(Snapshot s) {
        Set<String> out = new TreeSet<>();
        s.activeFiles().forEach(a -> out.add(a.decodedPath()));
        return out;
    }

    @Test
    void withoutCatalogTheFeatureIsRefused() {
        TarnException e = assertThrows(TarnException.class,
                () -> TableLog.forPath(io, dir.toString()).latestSnapshot());
        assertEquals(ErrorCode.UNSUPPORTED_FEATURE, e.errorCode());
        assertTrue(e.getMessage().contains("catalogManaged"), e.getMessage());
    }

    @Test
    void ratifiedStagedCommitsAreReplayedAsTheirVersions() throws Exception {
        String one = staged(1, "11111111-1111-1111-1111-111111111111", "a.parquet");
        String two = staged(2, "22222222-2222-2222-2222-222222222222", "b.parquet");
        staged(3, "33333333-3333-3333-3333-333333333333", "not-ratified.parquet");
        TableLog log = TableLog.forPath(io, dir.toString(),
                CatalogCommits.of(2, List.of(new RatifiedCommit(1, one), new RatifiedCommit(2, two))));
        Snapshot latest = log.latestSnapshot();
        assertEquals(2, latest.version());
        assertEquals(Set.of("part=a/a.parquet", "part=a/b.parquet"), paths(latest));
        assertEquals(T0 + 2, latest.timestamp(), "in-commit timestamp of the staged commit");
        assertEquals(Set.of("part=a/a.parquet"), paths(log.snapshotAt(1)));
        assertEquals(1, log.snapshotAsOf(T0 + 1).version());
        assertEquals(T0 + 2, ((CommitInfo) log.readCommit(2).get(0)).inCommitTimestamp());
        List<Commit> commits = log.commits(0, 2);
        assertEquals(List.of(0L, 1L, 2L), commits.stream().map(Commit::version).toList());
        assertEquals(T0 + 1, commits.get(1).timestamp());
        TarnException beyond = assertThrows(TarnException.class, () -> log.snapshotAt(3));
        assertEquals(ErrorCode.VERSION_NOT_FOUND, beyond.errorCode());
        assertThrows(TarnException.class, () -> log.readCommit(3));
    }

    @Test
    void absoluteLocationsAndFileUrisAreAccepted() throws Exception {
        String one = staged(1, "11111111-1111-1111-1111-111111111111", "a.parquet");
        Path file = dir.resolve("_delta_log/_staged_commits/" + one);
        TableLog byPath = TableLog.forPath(io, dir.toString(),
                CatalogCommits.of(1, List.of(new RatifiedCommit(1, file.toString()))));
        assertEquals(Set.of("part=a/a.parquet"), paths(byPath.latestSnapshot()));
        TableLog byUri = TableLog.forPath(io, dir.toString(),
                CatalogCommits.of(1, List.of(new RatifiedCommit(1, file.toUri().toString()))));
        assertEquals(Set.of("part=a/a.parquet"), paths(byUri.latestSnapshot()));
        TableLog byLogPath = TableLog.forPath(io, dir.toString(),
                CatalogCommits.of(1, List.of(new RatifiedCommit(1, "_staged_commits/" + one))));
        assertEquals(Set.of("part=a/a.parquet"), paths(byLogPath.latestSnapshot()));
    }

    @Test
    void theCatalogsCommitWinsOverAPublishedFileOfTheSameVersion() throws Exception {
        write("_delta_log/00000000000000000001.json", commitInfo(1), TestTables.file("published.parquet", "a", 1, 1));
        String one = staged(1, "11111111-1111-1111-1111-111111111111", "ratified.parquet");
        TableLog log = TableLog.forPath(io, dir.toString(), CatalogCommits.of(1, List.of(new RatifiedCommit(1, one))));
        assertEquals(Set.of("part=a/ratified.parquet"), paths(log.latestSnapshot()));
    }

    @Test
    void publishedCommitsBeyondTheCatalogsLatestVersionAreIgnored() throws Exception {
        write("_delta_log/00000000000000000001.json", commitInfo(1), TestTables.file("one.parquet", "a", 1, 1));
        write("_delta_log/00000000000000000002.json", commitInfo(2), TestTables.file("two.parquet", "a", 1, 1));
        // Everything is published: the catalog stores no commits, only the latest version.
        TableLog log = TableLog.forPath(io, dir.toString(), CatalogCommits.of(1, List.of()));
        assertEquals(1, log.latestSnapshot().version());
        assertEquals(Set.of("part=a/one.parquet"), paths(log.latestSnapshot()));
        assertEquals(ErrorCode.VERSION_NOT_FOUND, assertThrows(TarnException.class, () -> log.snapshotAt(2)).errorCode());
        assertEquals(2, TableLog.forPath(io, dir.toString(), CatalogCommits.of(2, List.of())).latestSnapshot().version());
    }

    @Test
    void publishedCommitsBeforeTheCatalogsListAreUsed() throws Exception {
        write("_delta_log/00000000000000000001.json", commitInfo(1), TestTables.file("one.parquet", "a", 1, 1));
        String two = staged(2, "22222222-2222-2222-2222-222222222222", "two.parquet");
        TableLog log = TableLog.forPath(io, dir.toString(), CatalogCommits.of(2, List.of(new RatifiedCommit(2, two))));
        assertEquals(Set.of("part=a/one.parquet", "part=a/two.parquet"), paths(log.latestSnapshot()));
    }

    @Test
    void aVersionNeitherPublishedNorRatifiedIsAGap() throws Exception {
        String two = staged(2, "22222222-2222-2222-2222-222222222222", "two.parquet");
        staged(1, "11111111-1111-1111-1111-111111111111", "unratified.parquet");
        TableLog log = TableLog.forPath(io, dir.toString(), CatalogCommits.of(2, List.of(new RatifiedCommit(2, two))));
        TarnException e = assertThrows(TarnException.class, log::latestSnapshot);
        assertEquals(ErrorCode.LOG_VERSION_GAP, e.errorCode());
        assertTrue(e.getMessage().contains("version 1"), e.getMessage());
    }

    @Test
    void aMissingRatifiedCommitIsNamed() {
        TableLog log = TableLog.forPath(io, dir.toString(), CatalogCommits.of(1,
                List.of(new RatifiedCommit(1, "00000000000000000001.11111111-1111-1111-1111-111111111111.json"))));
        TarnException e = assertThrows(TarnException.class, log::latestSnapshot);
        assertEquals(ErrorCode.MISSING_FILE, e.errorCode());
        assertTrue(e.getMessage().contains("_staged_commits/00000000000000000001.1111"), e.getMessage());
        assertEquals(ErrorCode.MISSING_FILE, assertThrows(TarnException.class, () -> log.readCommit(1)).errorCode());
    }

    @Test
    void aStagedFileOfAnotherVersionIsCorrupt() throws Exception {
        String two = staged(2, "22222222-2222-2222-2222-222222222222", "two.parquet");
        TableLog log = TableLog.forPath(io, dir.toString(), CatalogCommits.of(1, List.of(new RatifiedCommit(1, two))));
        assertEquals(ErrorCode.CORRUPT_LOG, assertThrows(TarnException.class, log::latestSnapshot).errorCode());
    }

    @Test
    void theCatalogIsAskedOnEveryLoad() throws Exception {
        String one = staged(1, "11111111-1111-1111-1111-111111111111", "a.parquet");
        List<RatifiedCommit> ratified = new ArrayList<>();
        long[] latest = {0};
        TableLog log = TableLog.forPath(io, dir.toString(), () -> new RatifiedCommits(latest[0], ratified));
        Snapshot first = log.latestSnapshot();
        assertEquals(0, first.version());
        ratified.add(new RatifiedCommit(1, one));
        latest[0] = 1;
        assertEquals(1, log.latestSnapshot().version());
        Snapshot refreshed = log.refresh(first);
        assertEquals(1, refreshed.version());
        assertEquals(Set.of("part=a/a.parquet"), paths(refreshed));
    }

    @Test
    void writesAreRefused() throws Exception {
        String one = staged(1, "11111111-1111-1111-1111-111111111111", "a.parquet");
        TableLog log = TableLog.forPath(io, dir.toString(), CatalogCommits.of(1, List.of(new RatifiedCommit(1, one))));
        Snapshot s = log.latestSnapshot();
        TarnException e = assertThrows(TarnException.class, () -> log.newTransaction(s, "WRITE", Map.of()));
        assertEquals(ErrorCode.UNSUPPORTED_FEATURE, e.errorCode());
        assertTrue(e.getMessage().contains("does not commit through catalogs"), e.getMessage());
        // Only published versions may be checkpointed ("Maintenance Operations on Catalog-managed Tables").
        TarnException cp = assertThrows(TarnException.class, () -> Checkpoints.writeClassic(io, s));
        assertEquals(ErrorCode.UNSUPPORTED_FEATURE, cp.errorCode());
        assertTrue(Files.notExists(dir.resolve("_delta_log/00000000000000000001.checkpoint.parquet")));
    }

    @Test
    void creatingACatalogManagedTableIsRefused(@TempDir Path other) {
        TableLog log = TableLog.forPath(io, other.toString());
        Transaction tx = log.newTransaction(null, "CREATE TABLE", Map.of());
        tx.updateMetadata(Metadata.create(TestTables.SCHEMA, List.of("part"),
                Map.of("delta.feature.catalogManaged", "supported"), "t", null));
        TarnException e = assertThrows(TarnException.class, tx::commit);
        assertEquals(ErrorCode.UNSUPPORTED_FEATURE, e.errorCode());
        assertTrue(e.getMessage().contains("catalogManaged") && e.getMessage().contains("does not commit through"
                + " catalogs"), e.getMessage());
        assertTrue(Files.notExists(other.resolve("_delta_log/00000000000000000000.json")));
    }

    @Test
    void ratifiedCommitsMustBeContiguousAndEndAtTheLatestVersion() {
        assertThrows(IllegalArgumentException.class, () -> new RatifiedCommits(3,
                List.of(new RatifiedCommit(1, "a.json"), new RatifiedCommit(3, "b.json"))));
        assertThrows(IllegalArgumentException.class, () -> new RatifiedCommits(3, List.of(new RatifiedCommit(2, "a.json"))));
        assertThrows(IllegalArgumentException.class, () -> new RatifiedCommit(-1, "a.json"));
    }

    @Test
    void publishedVersionsCanBeCheckpointed() throws Exception {
        write("_delta_log/00000000000000000001.json", commitInfo(1), TestTables.file("one.parquet", "a", 1, 1));
        String two = staged(2, "22222222-2222-2222-2222-222222222222", "two.parquet");
        TableLog log = TableLog.forPath(io, dir.toString(), CatalogCommits.of(2, List.of(new RatifiedCommit(2, two))));
        Checkpoints.writeClassic(io, log.snapshotAt(1));
        Snapshot s = log.latestSnapshot();
        assertEquals(1, s.checkpointVersion());
        assertEquals(Set.of("part=a/one.parquet", "part=a/two.parquet"), paths(s));
    }
}

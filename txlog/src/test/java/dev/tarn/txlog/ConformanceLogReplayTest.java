package dev.tarn.txlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.testdata.ExpectedTable;
import dev.tarn.testdata.ExpectedTable.Expectation;
import dev.tarn.txlog.action.Action;
import dev.tarn.txlog.action.AddFile;
import dev.tarn.txlog.action.CommitInfo;
import dev.tarn.txlog.action.DomainMetadata;
import dev.tarn.txlog.action.Protocol;
import dev.tarn.txlog.action.RemoveFile;
import dev.tarn.txlog.skipping.FileStats;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every log-replay expectation of the shared conformance tables ({@code delta-tables/*.expected.json}): {@code log}
 * checks, {@code error} expectations, and for each {@code snapshot} expectation that the version loads and that the
 * log's record counts (numRecords minus deletion-vector cardinality) add up to the expected row count when every
 * file has statistics. An expectation Tarn cannot meet fails with its reason; none is skipped.
 */
class ConformanceLogReplayTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Expectation> expectations() {
        return ExpectedTable.all().stream()
                .flatMap(t -> t.expectations().stream())
                .filter(e -> e.kind().equals("log") || e.kind().equals("error") || e.kind().equals("snapshot"));
    }

    /**
     * The log an expectation is checked against: error expectations read from the file system alone; the others
     * go through the table's catalog when one of its expectations requires a catalog ({@link ConformanceCatalog}).
     */
    private static TableLog log(Expectation e) {
        return e.kind().equals("error") ? ConformanceCatalog.fileSystemLog(e.table()) : ConformanceCatalog.log(e.table());
    }

    private static Snapshot snapshot(TableLog log, Expectation e) {
        return e.version() < 0 ? log.latestSnapshot() : log.snapshotAt(e.version());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("expectations")
    void expectation(Expectation e) {
        switch (e.kind()) {
            case "log" -> checkLog(e);
            case "error" -> checkError(e);
            case "snapshot" -> checkSnapshot(e);
            default -> fail("unexpected kind " + e.kind());
        }
    }

    private void checkError(Expectation e) {
        TableLog log = log(e);
        String expected = e.json().path("expected_error").asText();
        TarnException ex = assertThrows(TarnException.class, () -> snapshot(log, e), "reading must fail: " + expected);
        if (expected.startsWith("unsupported-reader-feature")) {
            assertEquals(ErrorCode.UNSUPPORTED_FEATURE, ex.errorCode(), ex.getMessage());
            String feature = expected.substring(expected.indexOf(':') + 1).trim();
            assertTrue(ex.getMessage().contains(feature), ex.getMessage());
        } else if (expected.startsWith("missing-protocol")) {
            assertEquals(ErrorCode.CORRUPT_LOG, ex.errorCode(), ex.getMessage());
            assertTrue(ex.getMessage().contains("protocol"), ex.getMessage());
        } else if (expected.startsWith("unsupported-reader-version")) {
            assertTrue(ex.errorCode() == ErrorCode.UNSUPPORTED_PROTOCOL || ex.errorCode() == ErrorCode.UNSUPPORTED_FEATURE,
                    ex.formattedMessage());
            String version = expected.replaceAll("^unsupported-reader-version \\((?:minReaderVersion )?(\\d+)\\).*$", "$1");
            assertTrue(ex.getMessage().contains(version), ex.getMessage());
        } else if (expected.startsWith("versions-not-contiguous")) {
            assertEquals(ErrorCode.LOG_VERSION_GAP, ex.errorCode(), ex.getMessage());
            assertTrue(ex.getMessage().contains("version 1"), ex.getMessage());
        } else {
            fail("no mapping for expected error '" + expected + "' (got " + ex.formattedMessage() + ")");
        }
    }

    private void checkSnapshot(Expectation e) {
        TableLog log = log(e);
        if (e.json().has("requires")) {
            assertTrue(log.catalog().isPresent(), "requires " + e.json().get("requires").asText());
            // Without its catalog the table must be refused, not misread from the published commits alone.
            TarnException ex = assertThrows(TarnException.class,
                    () -> snapshot(ConformanceCatalog.fileSystemLog(e.table()), e));
            assertEquals(ErrorCode.UNSUPPORTED_FEATURE, ex.errorCode(), ex.getMessage());
        }
        Snapshot s = log.snapshotAt(e.version());
        assertEquals(e.version(), s.version());
        if (e.latest()) {
            assertEquals(e.version(), log.latestSnapshot().version(), "latest version");
        }
        // Every file's partition values parse with the column types, and every file resolves to an existing path.
        ScanBuilder scan = s.scanBuilder();
        if (e.json().has("session_time_zone")) {
            scan = scan.withSessionTimeZone(java.time.ZoneId.of(e.json().get("session_time_zone").asText()));
        }
        ScanPlan plan = scan.build();
        assertEquals(s.activeFiles().size(), plan.files().size());
        for (ScanFile f : plan.files()) {
            assertTrue(java.nio.file.Files.isRegularFile(java.nio.file.Paths.get(f.location())), "data file " + f.location());
        }
        long expectedRows = e.json().path("row_count").asLong();
        if (expectedRows > 0) {
            assertFalse(s.activeFiles().isEmpty(), "a table with rows has files");
        }
        long rows = 0;
        for (AddFile a : s.activeFiles()) {
            long n = FileStats.parse(a.stats()).numRecords();
            if (n < 0) {
                return; // statistics incomplete: counting rows is the query module's job
            }
            rows += n - (a.deletionVector() == null ? 0 : a.deletionVector().cardinality());
        }
        assertEquals(expectedRows, rows, "numRecords minus DV cardinality over " + s.activeFiles().size() + " files");
    }

    private void checkLog(Expectation e) {
        TableLog log = log(e);
        JsonNode checks = e.json().path("checks");
        Iterator<Map.Entry<String, JsonNode>> it = checks.properties().iterator();
        Snapshot snapshot = null;
        List<String> failures = new ArrayList<>();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> c = it.next();
            String key = c.getKey();
            JsonNode want = c.getValue();
            try {
                if (key.equals("in_commit_timestamps")) {
                    Iterator<Map.Entry<String, JsonNode>> vs = want.properties().iterator();
                    while (vs.hasNext()) {
                        Map.Entry<String, JsonNode> v = vs.next();
                        CommitInfo ci = commitInfo(log.readCommit(Long.parseLong(v.getKey())));
                        assertEquals(v.getValue().asLong(), ci == null ? null : ci.inCommitTimestamp(),
                                "inCommitTimestamp of version " + v.getKey());
                    }
                    continue;
                }
                if (key.equals("last_checkpoint")) {
                    LastCheckpoint lc = log.readLastCheckpoint().orElseThrow(() -> new AssertionError("no _last_checkpoint"));
                    assertEquals(want.path("version").asLong(), lc.version(), "_last_checkpoint version");
                    if (want.has("size")) {
                        assertEquals(want.path("size").asLong(), lc.size(), "_last_checkpoint size");
                    }
                    continue;
                }
                if (snapshot == null) {
                    snapshot = snapshot(log, e);
                }
                checkSnapshotFact(snapshot, log, key, want);
            } catch (AssertionError | TarnException ex) {
                failures.add(key + ": " + ex.getMessage());
            } catch (Exception ex) {
                failures.add(key + ": " + ex);
            }
        }
        if (!failures.isEmpty()) {
            fail(String.join("\n", failures));
        }
    }

    private static CommitInfo commitInfo(List<Action> actions) {
        for (Action a : actions) {
            if (a instanceof CommitInfo c) {
                return c;
            }
        }
        return null;
    }

    private void checkSnapshotFact(Snapshot s, TableLog log, String key, JsonNode want) throws Exception {
        switch (key) {
            case "num_active_files" -> assertEquals(want.asInt(), s.activeFiles().size());
            case "latest_version" -> assertEquals(want.asLong(), log.latestSnapshot().version());
            case "partition_columns" -> assertEquals(strings(want), s.partitionColumns());
            case "active_files" -> {
                Set<String> expectedPaths = new TreeSet<>();
                for (JsonNode f : want) {
                    expectedPaths.add(f.isTextual() ? f.asText() : f.path("path").asText());
                }
                Set<String> actual = new TreeSet<>();
                s.activeFiles().forEach(a -> actual.add(a.decodedPath()));
                assertEquals(expectedPaths, actual);
                for (JsonNode f : want) {
                    if (!f.isObject()) {
                        continue;
                    }
                    AddFile a = s.activeFiles().stream().filter(x -> x.decodedPath().equals(f.path("path").asText()))
                            .findFirst().orElseThrow();
                    if (f.has("clusteringProvider")) {
                        assertEquals(f.get("clusteringProvider").asText(), a.clusteringProvider());
                    }
                    if (f.has("numRecords")) {
                        assertEquals(f.get("numRecords").asLong(), FileStats.parse(a.stats()).numRecords());
                    }
                }
            }
            case "tombstones" -> {
                Set<String> actual = new TreeSet<>();
                for (RemoveFile r : s.tombstones()) {
                    actual.add(r.decodedPath());
                }
                assertEquals(new TreeSet<>(strings(want)), actual);
            }
            case "protocol" -> {
                Protocol p = s.protocol();
                assertEquals(want.path("minReaderVersion").asInt(), p.minReaderVersion(), "minReaderVersion");
                assertEquals(want.path("minWriterVersion").asInt(), p.minWriterVersion(), "minWriterVersion");
                if (want.has("readerFeatures")) {
                    assertEquals(new HashSet<>(strings(want.get("readerFeatures"))), p.readerFeatures());
                }
                if (want.has("writerFeatures")) {
                    assertEquals(new HashSet<>(strings(want.get("writerFeatures"))), p.writerFeatures());
                }
            }
            case "writer_features" -> assertEquals(new HashSet<>(strings(want)), s.protocol().writerFeatures());
            case "domain_metadata" -> {
                Iterator<Map.Entry<String, JsonNode>> ds = want.properties().iterator();
                int n = 0;
                while (ds.hasNext()) {
                    Map.Entry<String, JsonNode> d = ds.next();
                    DomainMetadata dm = s.domainMetadata().get(d.getKey());
                    assertTrue(dm != null, "domain " + d.getKey() + " missing; have " + s.domainMetadata().keySet());
                    assertEquals(JSON.readTree(d.getValue().asText()), JSON.readTree(dm.configuration()), d.getKey());
                    n++;
                }
                assertEquals(n, s.domainMetadata().size(), "domains " + s.domainMetadata().keySet());
            }
            case "clustering_columns" -> {
                List<List<String>> expected = new ArrayList<>();
                want.forEach(path -> expected.add(strings(path)));
                assertEquals(expected, s.clusteringColumns());
            }
            case "txn" -> {
                Iterator<Map.Entry<String, JsonNode>> ts = want.properties().iterator();
                while (ts.hasNext()) {
                    Map.Entry<String, JsonNode> t = ts.next();
                    assertEquals(java.util.Optional.of(t.getValue().asLong()), s.transactionVersion(t.getKey()), t.getKey());
                }
                assertEquals(want.size(), s.setTransactions().size(), "txn app ids " + s.setTransactions().keySet());
            }
            case "foo_modificationTime" -> {
                AddFile foo = s.activeFiles().stream().filter(a -> a.decodedPath().equals("foo")).findFirst()
                        .orElseThrow(() -> new AssertionError("file foo is not active"));
                assertEquals(want.asLong(), foo.modificationTime());
            }
            default -> fail("unknown log check '" + key + "'");
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(x -> out.add(x.asText()));
        return out;
    }
}

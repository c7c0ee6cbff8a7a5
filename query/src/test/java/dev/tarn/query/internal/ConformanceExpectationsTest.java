package dev.tarn.query.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.Database;
import dev.tarn.query.DatabaseConfig;
import dev.tarn.query.QueryResult;
import dev.tarn.query.ResultColumn;
import dev.tarn.query.Session;
import dev.tarn.query.internal.sql.CalciteSqlEngine;
import dev.tarn.testdata.ExpectedRowEncoder;
import dev.tarn.testdata.ExpectedTable;
import dev.tarn.testdata.ExpectedTable.Expectation;
import dev.tarn.testdata.RowMatcher;
import dev.tarn.storage.fs.FileIO;
import dev.tarn.storage.fs.LocalFileIO;
import dev.tarn.txlog.CatalogCommits;
import dev.tarn.txlog.LastCheckpoint;
import dev.tarn.txlog.Snapshot;
import dev.tarn.txlog.TableLog;
import dev.tarn.txlog.action.AddFile;
import dev.tarn.txlog.action.CommitInfo;
import dev.tarn.txlog.action.DomainMetadata;
import dev.tarn.txlog.action.Protocol;
import dev.tarn.txlog.action.RemoveFile;
import dev.tarn.txlog.RatifiedCommit;
import dev.tarn.txlog.types.DataType;
import dev.tarn.txlog.types.DataTypeJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every expectation of the shared conformance tables. {@code snapshot}, {@code row_tracking}, {@code error} and
 * {@code cdf} ones are checked through SQL: each snapshot at its own version by time travel ({@code VERSION AS OF}), with its projection and
 * session time zone; row tracking through the {@code _metadata} columns; errors as the TarnException the protocol
 * calls for; change data through {@code table_changes_by_path}. {@code log} expectations are checked through the
 * txlog API, {@code documented-rows} (log-only fixtures) by replaying the log and failing to read the absent data.
 * Needs the shared test data (fails when it is configured but missing).
 */
class ConformanceExpectationsTest {
    private static final Pattern CATALOG_REQUIREMENT = Pattern.compile(
            "catalog supplies ratified commits ([0-9 ,and]+?) = the (?:\\w+ )?files? in _delta_log/_staged_commits");

    @TempDir
    static Path lake;
    /** Reads every table from the file system alone, as a catalog-unaware reader would. */
    static Database db;
    /** Reads catalog-managed tables through a catalog that ratifies what their expectations require. */
    static Database withCatalogs;

    @BeforeAll
    static void open() {
        db = Database.open(DatabaseConfig.of(lake));
        withCatalogs = DatabaseImpl.open(DatabaseConfig.of(lake), CalciteSqlEngine::new,
                ConformanceExpectationsTest::catalogCommits);
    }

    @AfterAll
    static void close() {
        db.close();
        withCatalogs.close();
    }

    /**
     * Plays the managing catalog of a table whose expectations say {@code "requires": "catalog supplies ratified
     * commits 1 and 2 = the two files in _delta_log/_staged_commits"}: it ratifies exactly those staged commit files.
     * Any other requirement text fails the test rather than being guessed at.
     */
    static Optional<CatalogCommits> catalogCommits(String location) {
        for (ExpectedTable t : ExpectedTable.all()) {
            if (!t.tableDir().toString().equals(location)) {
                continue;
            }
            for (Expectation e : t.expectations()) {
                if (!e.json().has("requires")) {
                    continue;
                }
                String requires = e.json().get("requires").asText();
                Matcher m = CATALOG_REQUIREMENT.matcher(requires);
                if (!m.matches()) {
                    throw new AssertionError(e + ": no catalog for requirement '" + requires + "'");
                }
                TreeSet<Long> versions = new TreeSet<>();
                for (String v : m.group(1).split("\\s*(?:,|and)\\s*")) {
                    if (!v.isBlank()) {
                        versions.add(Long.parseLong(v.trim()));
                    }
                }
                List<RatifiedCommit> commits = new ArrayList<>();
                for (long v : versions) {
                    String prefix = String.format("%020d.", v);
                    List<Path> files;
                    try (Stream<Path> s = Files.list(t.tableDir().resolve("_delta_log/_staged_commits"))) {
                        files = s.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
                    } catch (IOException ex) {
                        throw new UncheckedIOException(ex);
                    }
                    assertEquals(1, files.size(), e + ": one staged commit of version " + v);
                    commits.add(new RatifiedCommit(v, files.get(0).getFileName().toString()));
                }
                return Optional.of(CatalogCommits.of(versions.last(), commits));
            }
        }
        return Optional.empty();
    }

    static Stream<Expectation> snapshots() {
        return ExpectedTable.allOfKind("snapshot").stream();
    }

    static Stream<Expectation> errors() {
        return ExpectedTable.allOfKind("error").stream();
    }

    static Stream<Expectation> rowTracking() {
        return ExpectedTable.allOfKind("row_tracking").stream();
    }

    static Stream<Expectation> changeFeeds() {
        return ExpectedTable.allOfKind("cdf").stream();
    }

    static Stream<Expectation> logs() {
        return ExpectedTable.allOfKind("log").stream();
    }

    static Stream<Expectation> documentedRows() {
        return ExpectedTable.allOfKind("documented-rows").stream();
    }

    /** Every kind of expectation the data set has is checked by one of the tests here. */
    @org.junit.jupiter.api.Test
    void everyKindIsChecked() {
        TreeSet<String> kinds = new TreeSet<>();
        ExpectedTable.all().forEach(t -> t.expectations().forEach(e -> kinds.add(e.kind())));
        assertEquals(new TreeSet<>(List.of("cdf", "documented-rows", "error", "log", "row_tracking", "snapshot")),
                kinds);
    }

    private static String table(Expectation e) {
        return "delta.`" + ExpectedTable.named(e.table()).tableDir() + "`";
    }

    private static Session session(Database database, Expectation e) {
        Session session = database.newSession();
        if (e.json().has("session_time_zone")) {
            session.execute("SET TIME ZONE '" + e.json().get("session_time_zone").asText() + "'").close();
        }
        return session;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("snapshots")
    void snapshotAtItsVersion(Expectation e) {
        List<String> projection = new ArrayList<>();
        e.json().path("projection").forEach(c -> projection.add("`" + c.asText() + "`"));
        String select = projection.isEmpty() ? "*" : String.join(", ", projection);
        String sql = "SELECT " + select + " FROM " + table(e) + " VERSION AS OF " + e.version();
        if (e.json().has("requires")) {
            // Without its catalog the table must be refused, not misread from the published commits alone.
            try (Session session = session(db, e)) {
                TarnException ex = assertThrows(TarnException.class, () -> session.execute(sql).close());
                assertEquals(ErrorCode.UNSUPPORTED_FEATURE, ex.errorCode(), ex.getMessage());
            }
        }
        try (Session session = session(withCatalogs, e); QueryResult r = session.execute(sql)) {
            assertEquals(e.columnNames(), r.columns().stream().map(ResultColumn::name).toList(), "columns");
            List<DataType> expectedTypes = new ArrayList<>();
            e.json().path("columns").forEach(c -> expectedTypes.add(DataTypeJson.parse(c.get("type"))));
            assertEquals(expectedTypes, r.columns().stream().map(ResultColumn::type).toList(), "column types");
            assertRows(e, r);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rowTracking")
    void rowTrackingColumns(Expectation e) {
        String sql = "SELECT id, _metadata.row_id, _metadata.row_commit_version FROM " + table(e)
                + " VERSION AS OF " + e.version();
        try (Session session = session(withCatalogs, e); QueryResult r = session.execute(sql)) {
            assertRows(e, r);
        }
    }

    /**
     * The change data feed between the expectation's versions through {@code table_changes_by_path}, with the
     * expected columns (the table's, then _change_type and _commit_version; _commit_timestamp is left out because
     * file modification times are not preserved).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("changeFeeds")
    void changeDataFeed(Expectation e) {
        List<String> columns = new ArrayList<>();
        e.columnNames().forEach(c -> columns.add("`" + c + "`"));
        String sql = "SELECT " + String.join(", ", columns) + " FROM table_changes_by_path('"
                + ExpectedTable.named(e.table()).tableDir() + "', " + e.json().get("start_version").asLong() + ", "
                + e.json().get("end_version").asLong() + ")";
        try (Session session = session(withCatalogs, e); QueryResult r = session.execute(sql)) {
            assertEquals(e.columnNames(), r.columns().stream().map(ResultColumn::name).toList(), "columns");
            List<DataType> expectedTypes = new ArrayList<>();
            e.json().path("columns").forEach(c -> expectedTypes.add(DataTypeJson.parse(c.get("type"))));
            assertEquals(expectedTypes, r.columns().stream().map(ResultColumn::type).toList(), "column types");
            assertRows(e, r);
        }
    }

    /** Facts of log replay, checked through the txlog API (no data is read). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("logs")
    void logReplay(Expectation e) {
        ExpectedTable table = ExpectedTable.named(e.table());
        String location = table.tableDir().toString();
        FileIO io = new LocalFileIO();
        TableLog log = catalogCommits(location).map(c -> TableLog.forPath(io, location, c))
                .orElseGet(() -> TableLog.forPath(io, location));
        Snapshot snapshot = e.version() < 0 ? log.latestSnapshot() : log.snapshotAt(e.version());
        JsonNode checks = e.json().get("checks");
        assertTrue(checks.size() > 0, "an expectation without checks");
        for (var check : checks.properties()) {
            String name = check.getKey();
            JsonNode want = check.getValue();
            switch (name) {
                case "num_active_files" -> assertEquals(want.asInt(), snapshot.activeFiles().size(), name);
                case "latest_version" -> assertEquals(want.asLong(), log.latestSnapshot().version(), name);
                case "partition_columns" -> assertEquals(strings(want), snapshot.partitionColumns(), name);
                case "active_files" -> {
                    List<AddFile> files = snapshot.activeFiles();
                    assertEquals(want.size(), files.size(), name);
                    for (JsonNode w : want) {
                        String path = w.isTextual() ? w.asText() : w.get("path").asText();
                        AddFile add = files.stream().filter(f -> f.path().equals(path)).findFirst()
                                .orElseThrow(() -> new AssertionError(name + ": no active file " + path));
                        if (w.has("clusteringProvider")) {
                            assertEquals(w.get("clusteringProvider").asText(), add.clusteringProvider(), path);
                        }
                        if (w.has("numRecords")) {
                            assertTrue(add.stats() != null && add.stats().contains("\"numRecords\":"
                                    + w.get("numRecords").asLong()), path + " stats " + add.stats());
                        }
                    }
                }
                case "foo_modificationTime" -> assertEquals(want.asLong(), snapshot.activeFiles().stream()
                        .filter(f -> f.path().equals("foo")).findFirst().orElseThrow().modificationTime(), name);
                case "tombstones" -> assertEquals(new TreeSet<>(strings(want)), new TreeSet<>(
                        snapshot.tombstones().stream().map(RemoveFile::path).toList()), name);
                case "txn" -> want.properties().forEach(t -> assertEquals(Optional.of(t.getValue().asLong()),
                        snapshot.transactionVersion(t.getKey()), "txn " + t.getKey()));
                case "domain_metadata" -> want.properties().forEach(d -> {
                    DomainMetadata dm = snapshot.domainMetadata().get(d.getKey());
                    assertTrue(dm != null, "domain " + d.getKey());
                    assertEquals(readJson(d.getValue().asText()), readJson(dm.configuration()), d.getKey());
                });
                case "clustering_columns" -> {
                    List<List<String>> expected = new ArrayList<>();
                    want.forEach(c -> expected.add(strings(c)));
                    assertEquals(expected, snapshot.clusteringColumns(), name);
                }
                case "protocol" -> {
                    Protocol p = snapshot.protocol();
                    assertEquals(want.get("minReaderVersion").asInt(), p.minReaderVersion(), "minReaderVersion");
                    assertEquals(want.get("minWriterVersion").asInt(), p.minWriterVersion(), "minWriterVersion");
                    if (want.has("writerFeatures")) {
                        assertEquals(new TreeSet<>(strings(want.get("writerFeatures"))),
                                new TreeSet<>(p.writerFeatures()), "writerFeatures");
                    }
                    if (want.has("readerFeatures")) {
                        assertEquals(new TreeSet<>(strings(want.get("readerFeatures"))),
                                new TreeSet<>(p.readerFeatures()), "readerFeatures");
                    }
                }
                case "writer_features" -> assertEquals(new TreeSet<>(strings(want)),
                        new TreeSet<>(snapshot.protocol().writerFeatures()), name);
                case "last_checkpoint" -> {
                    LastCheckpoint last = log.readLastCheckpoint().orElseThrow(() -> new AssertionError(
                            "no _last_checkpoint"));
                    assertEquals(want.get("version").asLong(), last.version(), "last_checkpoint.version");
                    assertEquals(want.get("size").asLong(), last.size(), "last_checkpoint.size");
                }
                case "in_commit_timestamps" -> want.properties().forEach(v -> {
                    long version = Long.parseLong(v.getKey());
                    Long ict = log.readCommit(version).stream().filter(a -> a instanceof CommitInfo)
                            .map(a -> ((CommitInfo) a).inCommitTimestamp()).findFirst().orElse(null);
                    assertEquals(Long.valueOf(v.getValue().asLong()), ict, "inCommitTimestamp of version " + version);
                });
                default -> fail(e + ": no check for '" + name + "'");
            }
        }
    }

    /**
     * A log-only fixture: the log replays to the documented number of rows in its files' statistics, and reading
     * the data fails with MISSING_FILE naming the absent data file.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("documentedRows")
    void documentedRowsNeedTheMissingFiles(Expectation e) {
        ExpectedTable table = ExpectedTable.named(e.table());
        Snapshot snapshot = TableLog.forPath(new LocalFileIO(), table.tableDir().toString()).snapshotAt(e.version());
        assertEquals(e.json().get("row_count").asLong(), snapshot.estimatedRowCount(), "rows in the statistics");
        assertEquals(1, snapshot.activeFiles().size(), "files to scan");
        String missing = snapshot.activeFiles().get(0).path();
        try (Session session = session(db, e)) {
            TarnException ex = assertThrows(TarnException.class, () -> {
                try (QueryResult r = session.execute("SELECT * FROM " + table(e) + " VERSION AS OF " + e.version())) {
                    while (r.nextBatch() != null) {
                        // drain
                    }
                }
            });
            assertEquals(ErrorCode.MISSING_FILE, ex.errorCode(), ex.getMessage());
            assertTrue(ex.getMessage().contains(missing), "names the data file: " + ex.getMessage());
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static JsonNode readJson(String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static void assertRows(Expectation e, QueryResult r) {
        List<JsonNode> actual = new ArrayList<>();
        for (VectorSchemaRoot b = r.nextBatch(); b != null; b = r.nextBatch()) {
            actual.addAll(ExpectedRowEncoder.encode(b));
        }
        assertEquals(e.json().get("row_count").asInt(), actual.size(), "row count");
        assertNull(RowMatcher.difference(e.rows(), actual));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void errorIsReported(Expectation e) {
        String expected = e.json().path("expected_error").asText();
        String sql = "SELECT * FROM " + table(e) + (e.version() < 0 ? "" : " VERSION AS OF " + e.version());
        TarnException ex;
        try (Session session = session(db, e)) {
            ex = assertThrows(TarnException.class, () -> session.execute(sql).close(), "must fail: " + expected);
        }
        if (expected.startsWith("unsupported-reader-feature")) {
            assertEquals(ErrorCode.UNSUPPORTED_FEATURE, ex.errorCode(), ex.getMessage());
            String feature = expected.substring(expected.indexOf(':') + 1).trim();
            assertTrue(ex.getMessage().contains(feature), ex.getMessage());
        } else if (expected.startsWith("missing-protocol")) {
            assertEquals(ErrorCode.CORRUPT_LOG, ex.errorCode(), ex.getMessage());
            assertTrue(ex.getMessage().contains("protocol"), ex.getMessage());
        } else if (expected.startsWith("unsupported-reader-version")) {
            assertTrue(ex.errorCode() == ErrorCode.UNSUPPORTED_PROTOCOL
                    || ex.errorCode() == ErrorCode.UNSUPPORTED_FEATURE, ex.getMessage());
            String version = expected.replaceAll("^unsupported-reader-version \\((?:minReaderVersion )?(\\d+)\\).*$", "$1");
            assertTrue(ex.getMessage().contains(version), ex.getMessage());
        } else if (expected.startsWith("versions-not-contiguous")) {
            assertEquals(ErrorCode.LOG_VERSION_GAP, ex.errorCode(), ex.getMessage());
        } else {
            fail("no mapping for expected error '" + expected + "' (got " + ex.errorCode() + ": " + ex.getMessage() + ")");
        }
        String location = ExpectedTable.named(e.table()).tableDir().toString();
        assertTrue(ex.getMessage().contains(location), "the message names the table: " + ex.getMessage());
    }
}

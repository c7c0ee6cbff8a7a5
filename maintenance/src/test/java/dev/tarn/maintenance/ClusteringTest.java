package dev.tarn.maintenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.storage.fs.LocalFileIO;
import dev.tarn.txlog.Snapshot;
import dev.tarn.txlog.TableLog;
import dev.tarn.txlog.Transaction;
import dev.tarn.txlog.action.Action;
import dev.tarn.txlog.action.AddFile;
import dev.tarn.txlog.action.CommitInfo;
import dev.tarn.txlog.action.DomainMetadata;
import dev.tarn.txlog.action.Metadata;
import dev.tarn.txlog.action.Protocol;
import dev.tarn.txlog.skipping.Predicate;
import dev.tarn.txlog.types.PrimitiveType;
import dev.tarn.txlog.types.StructField;
import dev.tarn.txlog.types.StructType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusteringTest {

    static TableLog createClustered(Path dir, StructType schema, List<List<String>> columns) {
        TableLog log = TableLog.forPath(new LocalFileIO(), dir.toString());
        Transaction tx = log.newTransaction(null, "CREATE TABLE", Map.of("isManaged", "false"));
        tx.updateMetadata(Metadata.create(schema, List.of(), Map.of(), "t", null));
        ClusteringSpec.setClusteringColumns(tx, columns);
        tx.commit();
        return log;
    }

    /** A table clustered by id, built from 20 appends of 500 ids each in random order. */
    static TableLog randomClusteredTable(Path dir) {
        TableLog log = createClustered(dir, TestTables.DATA, List.of(List.of("id")));
        List<Long> ids = new ArrayList<>();
        for (long i = 0; i < 10_000; i++) {
            ids.add(i);
        }
        Collections.shuffle(ids, new Random(7));
        for (int f = 0; f < 20; f++) {
            TestTables.append(log, null, ids.subList(f * 500, f * 500 + 500).stream().mapToLong(Long::longValue).toArray());
        }
        return log;
    }

    private static int filesForPoint(Snapshot s, long id) {
        return s.scanBuilder().withFilter(new Predicate.Comparison(Predicate.Column.of("id"), Predicate.Op.EQ,
                new Predicate.Literal(id, PrimitiveType.LONG))).build().files().size();
    }

    private static <T> List<T> actions(TableLog log, long version, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (Action a : log.readCommit(version)) {
            if (type.isInstance(a)) {
                out.add(type.cast(a));
            }
        }
        return out;
    }

    @Test
    void createWritesTheDomainAndProtocolExactlyAsDeltaSpark(@TempDir Path dir) {
        Path spark = Path.of(System.getProperty("tarn.test-data"), "delta-tables", "clustering-log-only");
        assertTrue(spark.toFile().isDirectory(), "missing conformance table " + spark);
        TableLog sparkLog = TableLog.forPath(new LocalFileIO(), spark.toString());
        StructType sparkSchema = sparkLog.snapshotAt(0).schema();
        DomainMetadata sparkDomain = actions(sparkLog, 0, DomainMetadata.class).get(0);
        Protocol sparkProtocol = actions(sparkLog, 0, Protocol.class).get(0);

        TableLog log = createClustered(dir.resolve("t"), sparkSchema, List.of(List.of("year"), List.of("month")));

        DomainMetadata ours = actions(log, 0, DomainMetadata.class).get(0);
        assertEquals(sparkDomain, ours, "same domain, configuration string and removed flag");
        assertEquals(sparkProtocol, actions(log, 0, Protocol.class).get(0));
        assertEquals(List.of(List.of("year"), List.of("month")), log.latestSnapshot().clusteringColumns());
        assertEquals(sparkLog.latestSnapshot().clusteringColumns(), log.latestSnapshot().clusteringColumns());
        // delta-spark's OPTIMIZE marks clustered files as Tarn does.
        assertTrue(sparkLog.latestSnapshot().activeFiles().stream()
                .allMatch(a -> ClusteringSpec.PROVIDER.equals(a.clusteringProvider())));
    }

    @Test
    void previewLiquidDomainIsNotTheClusteringDomain() {
        Path preview = Path.of(System.getProperty("tarn.test-data"), "delta-tables", "row-tracking-liquid-preview");
        assertTrue(preview.toFile().isDirectory(), "missing conformance table " + preview);
        Snapshot s = TableLog.forPath(new LocalFileIO(), preview.toString()).latestSnapshot();
        // The preview wrote domain "delta.liquid" with {"physicalName": [...]} objects; Delta 3 clustering is only
        // the "delta.clustering" domain, so this table is not clustered for OPTIMIZE.
        assertTrue(s.domainMetadata().containsKey("delta.liquid"));
        assertFalse(ClusteringSpec.isClustered(s));
    }

    @Test
    void domainHoldsPhysicalNamesUnderColumnMapping(@TempDir Path dir) {
        StructType inner = StructType.of(new StructField("city", PrimitiveType.STRING, true,
                Map.of(StructField.COLUMN_MAPPING_ID, 3L, StructField.COLUMN_MAPPING_PHYSICAL_NAME, "col-city")));
        StructType schema = StructType.of(
                new StructField("id", PrimitiveType.LONG, true,
                        Map.of(StructField.COLUMN_MAPPING_ID, 1L, StructField.COLUMN_MAPPING_PHYSICAL_NAME, "col-id")),
                new StructField("address", inner, true,
                        Map.of(StructField.COLUMN_MAPPING_ID, 2L, StructField.COLUMN_MAPPING_PHYSICAL_NAME, "col-addr")));
        TableLog log = TableLog.forPath(new LocalFileIO(), dir.resolve("t").toString());
        Transaction tx = log.newTransaction(null, "CREATE TABLE", Map.of());
        tx.updateMetadata(Metadata.create(schema, List.of(), Map.of("delta.columnMapping.mode", "name",
                "delta.columnMapping.maxColumnId", "3"), "t", null));
        ClusteringSpec.setClusteringColumns(tx, List.of(List.of("ID"), List.of("address", "city")));
        tx.commit();
        Snapshot s = log.latestSnapshot();
        assertEquals("{\"clusteringColumns\":[[\"col-id\"],[\"col-addr\",\"col-city\"]],\"domainName\":\"delta.clustering\"}",
                s.domainMetadata().get(ClusteringSpec.DOMAIN).configuration());
        assertEquals(List.of(List.of("id"), List.of("address", "city")), ClusteringSpec.logicalColumns(s));
        assertTrue(s.protocol().supportsWriterFeature("columnMapping"));
        assertTrue(s.protocol().supportsWriterFeature(ClusteringSpec.FEATURE));
        assertTrue(s.protocol().supportsWriterFeature(ClusteringSpec.DOMAIN_METADATA_FEATURE));
    }

    @Test
    void alterClusterByUpgradesProtocolAndClusterByNoneClears(@TempDir Path dir) {
        TableLog log = TestTables.create(dir.resolve("t"), false, Map.of());
        assertEquals(new Protocol(1, 2), log.latestSnapshot().protocol());
        Transaction alter = log.newTransaction(log.latestSnapshot(), "CLUSTER BY", Map.of());
        ClusteringSpec.setClusteringColumns(alter, List.of(List.of("payload"), List.of("id")));
        alter.commit();
        Snapshot s = log.latestSnapshot();
        assertEquals(7, s.protocol().minWriterVersion());
        assertEquals(1, s.protocol().minReaderVersion());
        assertTrue(s.protocol().writerFeatures().containsAll(Set.of("domainMetadata", "clustering")));
        assertEquals(List.of(List.of("payload"), List.of("id")), s.clusteringColumns());

        Map<String, String> params = ClusteringSpec.clusterByOperationParameters(ClusteringSpec.logicalColumns(s),
                List.of());
        assertEquals(Map.of("oldClusteringColumns", "payload,id", "newClusteringColumns", ""), params);
        Transaction none = log.newTransaction(s, "CLUSTER BY", params);
        ClusteringSpec.clearClusteringColumns(none);
        none.commit();
        Snapshot cleared = log.latestSnapshot();
        assertEquals("{\"clusteringColumns\":[],\"domainName\":\"delta.clustering\"}",
                cleared.domainMetadata().get(ClusteringSpec.DOMAIN).configuration());
        assertEquals(List.of(), cleared.clusteringColumns());
        assertFalse(ClusteringSpec.isClustered(cleared));
        assertTrue(cleared.protocol().supportsWriterFeature(ClusteringSpec.FEATURE), "the feature stays");
    }

    @Test
    void badClusteringColumnsAreRejected(@TempDir Path dir) {
        TableLog partitioned = TestTables.create(dir.resolve("p"), true, Map.of());
        TarnException p = assertThrows(TarnException.class, () -> ClusteringSpec.setClusteringColumns(
                partitioned.newTransaction(partitioned.latestSnapshot(), "CLUSTER BY", Map.of()), List.of(List.of("id"))));
        assertEquals(ErrorCode.VALIDATION_ERROR, p.errorCode());
        assertTrue(p.getMessage().contains("partitioned"), p.getMessage());

        TableLog log = TestTables.create(dir.resolve("t"), false, Map.of());
        TarnException missing = assertThrows(TarnException.class, () -> ClusteringSpec.setClusteringColumns(
                log.newTransaction(log.latestSnapshot(), "CLUSTER BY", Map.of()), List.of(List.of("nope"))));
        assertEquals(ErrorCode.COLUMN_NOT_FOUND, missing.errorCode());
        assertTrue(missing.getMessage().contains("'nope'"), missing.getMessage());
        TarnException twice = assertThrows(TarnException.class, () -> ClusteringSpec.setClusteringColumns(
                log.newTransaction(log.latestSnapshot(), "CLUSTER BY", Map.of()), List.of(List.of("id"), List.of("ID"))));
        assertEquals(ErrorCode.VALIDATION_ERROR, twice.errorCode());
        TableLog narrow = TestTables.create(dir.resolve("n"), false, Map.of("delta.dataSkippingNumIndexedCols", "1"));
        TarnException noStats = assertThrows(TarnException.class, () -> ClusteringSpec.setClusteringColumns(
                narrow.newTransaction(narrow.latestSnapshot(), "CLUSTER BY", Map.of()), List.of(List.of("payload"))));
        assertEquals(ErrorCode.VALIDATION_ERROR, noStats.errorCode());
        assertTrue(noStats.getMessage().contains("delta.dataSkippingNumIndexedCols"), noStats.getMessage());
        Transaction first = narrow.newTransaction(narrow.latestSnapshot(), "CLUSTER BY", Map.of());
        ClusteringSpec.setClusteringColumns(first, List.of(List.of("id")));
        first.commit();
        assertEquals(List.of(List.of("id")), narrow.latestSnapshot().clusteringColumns());
        TarnException none = assertThrows(TarnException.class, () -> ClusteringSpec.clearClusteringColumns(
                log.newTransaction(log.latestSnapshot(), "CLUSTER BY", Map.of())));
        assertTrue(none.getMessage().contains("not clustered"), none.getMessage());
        assertEquals(0, log.latestSnapshot().version(), "nothing committed");
    }

    @Test
    void optimizeClustersIncrementallyAndFullReclustersEverything(@TempDir Path dir) {
        TableLog log = randomClusteredTable(dir.resolve("t"));
        Snapshot before = log.latestSnapshot();
        List<String> rows = TestTables.rows(before);
        assertEquals(20, filesForPoint(before, 1234), "random order: every file may hold any id");
        long target = before.sizeInBytes() / 8;
        OptimizeOptions options = OptimizeOptions.defaults().withTargetFileSize(target).withSortMemoryBytes(64 * 1024)
                .withSpillDirectory(dir.resolve("spill").toString());

        RewriteResult first = new OptimizeTask(log, options).run();
        assertTrue(first.committed(), first.toString());
        assertEquals(20, first.filesRemoved());
        Snapshot clustered = log.latestSnapshot();
        assertEquals(rows, TestTables.rows(clustered), "no row lost or duplicated");
        int files = clustered.activeFiles().size();
        assertTrue(files >= 3, "files of about the target size: " + files);
        for (long probe : new long[] {0, 1234, 5000, 9999}) {
            assertTrue(filesForPoint(clustered, probe) <= 2, "id " + probe + " needs " + filesForPoint(clustered, probe)
                    + " of " + files + " files");
        }
        assertTrue(clustered.activeFiles().stream().allMatch(a -> "liquid".equals(a.clusteringProvider())
                && !a.dataChange()));
        CommitInfo info = actions(log, clustered.version(), CommitInfo.class).get(0);
        assertEquals("OPTIMIZE", info.operation());
        assertEquals("[\"id\"]", info.operationParameters().get("clusterBy"));
        assertEquals("[]", info.operationParameters().get("zOrderBy"));

        RewriteResult again = new OptimizeTask(log, options).run();
        assertFalse(again.committed(), "already clustered: a no-op");
        assertTrue(again.skipReason().orElseThrow().contains("already clustered"), again.toString());
        assertEquals(clustered.version(), log.latestSnapshot().version());

        // An append of 1% of the rows: OPTIMIZE rewrites only that file.
        TestTables.append(log, null, TestTables.range(10_000, 10_100));
        AddFile appended = log.latestSnapshot().activeFiles().stream().filter(a -> a.clusteringProvider() == null)
                .findFirst().orElseThrow();
        RewriteResult incremental = new OptimizeTask(log, options).run();
        assertTrue(incremental.committed());
        assertEquals(1, incremental.filesRemoved());
        assertEquals(appended.size(), incremental.bytesRemoved(), "costs the append, not the table");
        assertEquals(100, incremental.rowsWritten());
        assertEquals(files + 1, log.latestSnapshot().activeFiles().size());

        Snapshot beforeFull = log.latestSnapshot();
        RewriteResult full = new OptimizeTask(log, options.withFull(true)).run();
        assertTrue(full.committed());
        assertEquals(beforeFull.activeFiles().size(), full.filesRemoved(), "FULL rewrites every file");
        assertEquals(beforeFull.sizeInBytes(), full.bytesRemoved());
        assertEquals(10_100, full.rowsWritten());
        assertEquals(TestTables.rows(beforeFull), TestTables.rows(log.latestSnapshot()));
        assertTrue(log.latestSnapshot().activeFiles().stream().noneMatch(f -> beforeFull.activeFiles().stream()
                .anyMatch(b -> b.path().equals(f.path()))), "no file survives FULL");
    }

    @Test
    void clusteringByTwoColumnsUsesTheHilbertCurveAndKeepsEveryRow(@TempDir Path dir) {
        TableLog log = createClustered(dir.resolve("t"), TestTables.DATA, List.of(List.of("payload"), List.of("id")));
        Random random = new Random(11);
        for (int f = 0; f < 10; f++) {
            long[] ids = new long[2_000];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = random.nextInt(100_000);
            }
            TestTables.append(log, null, ids);
        }
        List<String> rows = TestTables.rows(log.latestSnapshot());
        RewriteResult r = new OptimizeTask(log, OptimizeOptions.defaults()
                .withTargetFileSize(log.latestSnapshot().sizeInBytes() / 8)).run();
        assertTrue(r.committed());
        assertEquals(20_000, r.rowsWritten());
        Snapshot after = log.latestSnapshot();
        assertEquals(rows, TestTables.rows(after));
        assertEquals("[\"payload\",\"id\"]", actions(log, after.version(), CommitInfo.class).get(0)
                .operationParameters().get("clusterBy"));
        assertTrue(after.activeFiles().size() >= 3, "several files: " + after.activeFiles().size());
        long probe = Long.parseLong(rows.get(rows.size() / 2).substring(rows.get(rows.size() / 2).indexOf('/') + 1));
        assertTrue(filesForPoint(after, probe) < after.activeFiles().size(), "ids are clustered too: " + probe);
    }

    @Test
    void zOrderOnAClusteredTableIsRefused(@TempDir Path dir) {
        TableLog log = createClustered(dir.resolve("t"), TestTables.DATA, List.of(List.of("id")));
        TestTables.append(log, null, TestTables.range(0, 10));
        TarnException e = assertThrows(TarnException.class, () -> new OptimizeTask(log,
                OptimizeOptions.defaults().withZOrderBy(List.of("payload"))).run());
        assertEquals(ErrorCode.VALIDATION_ERROR, e.errorCode());
    }
}

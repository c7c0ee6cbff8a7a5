package dev.tarn.txlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.storage.fs.LocalFileIO;
import dev.tarn.testdata.ExpectedTable;
import dev.tarn.txlog.action.Action;
import dev.tarn.txlog.action.CheckpointMetadata;
import dev.tarn.txlog.action.DomainMetadata;
import dev.tarn.txlog.action.Sidecar;
import dev.tarn.txlog.internal.json.ActionJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** UUID-named V2 checkpoints with sidecars (PROTOCOL.md "V2 Spec"), written by Tarn and read back. */
class V2CheckpointWriteTest {
    private static final Map<String, String> V2 = Map.of("delta.checkpointPolicy", "v2");

    @TempDir
    Path dir;

    private final LocalFileIO io = new LocalFileIO();

    /** A table at version 5 with four files, one removed, an app transaction and a domain. */
    private TableLog table(Map<String, String> conf) {
        TableLog log = TestTables.create(dir, conf);
        for (int i = 0; i < 4; i++) {
            TestTables.append(log, TestTables.file("f" + i + ".parquet", "p" + (i % 2), i * 10, i * 10 + 9));
        }
        Snapshot s = log.latestSnapshot();
        Transaction tx = log.newTransaction(s, "DELETE", Map.of());
        tx.removeFiles(List.of(s.activeFiles().get(0).toRemove(System.currentTimeMillis(), true)));
        tx.setTransaction("app", 7);
        tx.updateDomainMetadata(new DomainMetadata("custom.domain", "{\"k\":1}", false));
        tx.commit();
        return log;
    }

    private static Set<String> paths(Snapshot s) {
        Set<String> out = new TreeSet<>();
        s.activeFiles().forEach(a -> out.add(a.decodedPath()));
        return out;
    }

    /** Removes commits up to the checkpoint so only the checkpoint can reconstruct the table. */
    private void dropCommitsThrough(long version) throws Exception {
        for (long v = 0; v <= version; v++) {
            Files.delete(dir.resolve(String.format("_delta_log/%020d.json", v)));
        }
    }

    private List<Path> sidecars() throws Exception {
        try (Stream<Path> s = Files.list(dir.resolve("_delta_log/_sidecars"))) {
            return s.sorted().toList();
        }
    }

    @Test
    void jsonTopLevelWithSidecarsReadsBackTheSameState() throws Exception {
        TableLog log = table(V2);
        Snapshot before = log.latestSnapshot();
        LastCheckpoint info = Checkpoints.write(io, before);
        assertEquals(5, info.version());
        String name = info.v2CheckpointPath().orElseThrow();
        assertTrue(name.matches("0{19}5\\.checkpoint\\.[0-9a-f-]{36}\\.json"), name);

        List<Action> top = ActionJson.parseFile(Files.readAllBytes(dir.resolve("_delta_log/" + name)), name);
        assertEquals(new CheckpointMetadata(5, null), top.get(0));
        List<Sidecar> sidecarActions = top.stream().filter(a -> a instanceof Sidecar).map(a -> (Sidecar) a).toList();
        assertEquals(1, sidecarActions.size());
        assertEquals(sidecars().get(0).getFileName().toString(), sidecarActions.get(0).path());
        assertEquals(Files.size(sidecars().get(0)), sidecarActions.get(0).sizeInBytes());
        assertTrue(top.stream().noneMatch(a -> a instanceof dev.tarn.txlog.action.AddFile), "adds live in sidecars");

        dropCommitsThrough(4); // version 5's commit stays: it holds the commitInfo
        Snapshot after = TableLog.forPath(io, dir.toString()).latestSnapshot();
        assertEquals(5, after.checkpointVersion());
        assertEquals(paths(before), paths(after));
        assertEquals(3, after.activeFiles().size());
        assertEquals(1, after.tombstones().size());
        assertEquals(java.util.Optional.of(7L), after.transactionVersion("app"));
        assertEquals(Set.of("custom.domain"), after.domainMetadata().keySet());
        assertEquals(before.protocol(), after.protocol());
        assertEquals(before.metadata(), after.metadata());
    }

    @Test
    void lastCheckpointHasTheFieldsDeltaSparkWrites() throws Exception {
        TableLog log = table(V2);
        LastCheckpoint info = Checkpoints.write(io, log.latestSnapshot());
        JsonNode ours = ActionJson.MAPPER.readTree(Files.readString(dir.resolve("_delta_log/_last_checkpoint")));
        JsonNode spark = ActionJson.MAPPER.readTree(Files.readString(ExpectedTable.named("v2-checkpoint-json-sidecars")
                .tableDir().resolve("_delta_log/_last_checkpoint")));
        assertEquals(keys(spark), keys(ours));
        assertEquals(keys(spark.get("v2Checkpoint")), keys(ours.get("v2Checkpoint")));
        assertEquals(keys(spark.get("v2Checkpoint").get("sidecarFiles").get(0)),
                keys(ours.get("v2Checkpoint").get("sidecarFiles").get(0)));

        JsonNode v2 = ours.get("v2Checkpoint");
        assertEquals(info.v2CheckpointPath().orElseThrow(), v2.get("path").asText());
        Path top = dir.resolve("_delta_log/" + v2.get("path").asText());
        assertEquals(Files.size(top), v2.get("sizeInBytes").asLong());
        assertEquals(Files.getLastModifiedTime(top).toMillis(), v2.get("modificationTime").asLong());
        long total = Files.size(top);
        for (Path p : sidecars()) {
            total += Files.size(p);
        }
        assertEquals(total, ours.get("sizeInBytes").asLong());
        assertEquals(3, ours.get("numOfAddFiles").asLong());
        // checkpointMetadata + 1 sidecar + protocol + metaData + txn + domain + 3 adds + 1 remove
        assertEquals(10, ours.get("size").asLong());
        List<String> nonFile = new ArrayList<>();
        v2.get("nonFileActions").forEach(a -> nonFile.add(a.properties().iterator().next().getKey()));
        assertEquals(List.of("protocol", "metaData", "txn", "domainMetadata", "checkpointMetadata"), nonFile);
        assertEquals(info.version(), log.readLastCheckpoint().orElseThrow().version(), "checksum accepted on read");
    }

    private static Set<String> keys(JsonNode n) {
        Set<String> out = new TreeSet<>();
        Iterator<String> it = n.fieldNames();
        it.forEachRemaining(out::add);
        return out;
    }

    @Test
    void parquetTopLevelAndSeveralSidecars() throws Exception {
        TableLog log = table(V2);
        Snapshot before = log.latestSnapshot();
        LastCheckpoint info = Checkpoints.writeV2(io, before, Checkpoints.TopLevelFormat.PARQUET, 2);
        assertTrue(info.v2CheckpointPath().orElseThrow().endsWith(".parquet"));
        assertEquals(2, sidecars().size(), "4 file actions, 2 per sidecar");
        dropCommitsThrough(4);
        Snapshot after = TableLog.forPath(io, dir.toString()).latestSnapshot();
        assertEquals(5, after.checkpointVersion());
        assertEquals(paths(before), paths(after));
        assertEquals(1, after.tombstones().size());
    }

    @Test
    void aTableWithoutFilesHasNoSidecars() throws Exception {
        TableLog log = TestTables.create(dir, V2);
        Checkpoints.write(io, log.latestSnapshot());
        assertTrue(Files.notExists(dir.resolve("_delta_log/_sidecars")));
        assertEquals(0, TableLog.forPath(io, dir.toString()).latestSnapshot().checkpointVersion());
    }

    @Test
    void commitsCheckpointByPolicy() throws Exception {
        Map<String, String> conf = new java.util.HashMap<>(V2);
        conf.put("delta.checkpointInterval", "2");
        TableLog log = TestTables.create(dir, conf);
        TestTables.append(log, TestTables.file("a.parquet", "x", 1, 2));
        CommitResult r = TestTables.append(log, TestTables.file("b.parquet", "x", 1, 2));
        assertEquals(2, r.version());
        try (Stream<Path> s = Files.list(dir.resolve("_delta_log"))) {
            assertTrue(s.anyMatch(p -> p.getFileName().toString().matches("0{19}2\\.checkpoint\\.[0-9a-f-]{36}\\.json")));
        }
        assertEquals(2, TableLog.forPath(io, dir.toString()).latestSnapshot().checkpointVersion());
    }

    @Test
    void classicPolicyKeepsClassicCheckpoints() throws Exception {
        TableLog log = table(Map.of());
        LastCheckpoint info = Checkpoints.write(io, log.latestSnapshot());
        assertTrue(info.v2CheckpointPath().isEmpty());
        assertTrue(Files.exists(dir.resolve("_delta_log/00000000000000000005.checkpoint.parquet")));
    }

    @Test
    void v2CheckpointsNeedTheFeature() {
        TableLog log = table(Map.of());
        TarnException e = assertThrows(TarnException.class,
                () -> Checkpoints.writeV2(io, log.latestSnapshot(), Checkpoints.TopLevelFormat.JSON, 10));
        assertEquals(ErrorCode.UNSUPPORTED_FEATURE, e.errorCode());
        assertTrue(e.getMessage().contains("v2Checkpoint"), e.getMessage());
    }
}

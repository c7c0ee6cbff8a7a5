package dev.tarn.txlog;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.txlog.action.Action;
import dev.tarn.txlog.action.AddCdcFile;
import dev.tarn.txlog.action.AddFile;
import dev.tarn.txlog.action.CommitInfo;
import dev.tarn.txlog.action.DomainMetadata;
import dev.tarn.txlog.action.Metadata;
import dev.tarn.txlog.action.Protocol;
import dev.tarn.txlog.action.RemoveFile;
import dev.tarn.txlog.action.SetTransaction;
import dev.tarn.txlog.internal.commit.ConflictChecker;
import dev.tarn.txlog.internal.json.ActionJson;
import dev.tarn.txlog.internal.replay.FileKey;
import dev.tarn.txlog.internal.replay.LogFile;
import dev.tarn.txlog.internal.replay.TableFeatures;
import dev.tarn.txlog.skipping.FileStats;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * One atomic change to a table: collect actions, then {@link #commit()} writes them as the next
 * {@code <version>.json} with put-if-absent (PROTOCOL.md "Creation of New Log Entries"). When another writer took
 * that version first, the winning commits are checked for conflicts; without conflict the commit retries at the
 * next version (at most {@value #MAX_ATTEMPTS} attempts). Not thread-safe; use one transaction per writer.
 */
public final class Transaction {
    /**
     * Every lost race means another writer's commit landed, so retrying is lock-free progress for the table; the
     * bound only stops a writer starving forever behind a stream of others (delta-kernel allows 200 as well).
     */
    public static final int MAX_ATTEMPTS = 200;
    public static final String ENGINE_INFO = "Tarn/" + engineVersion();
    private static final String ROW_TRACKING_DOMAIN = "delta.rowTracking";

    private final TableLog log;
    private final Snapshot readSnapshot;
    private final String operation;
    private final Map<String, String> operationParameters;
    private Metadata newMetadata;
    private Protocol newProtocol;
    private final List<AddFile> adds = new ArrayList<>();
    private final List<RemoveFile> removes = new ArrayList<>();
    private final List<AddCdcFile> changeFiles = new ArrayList<>();
    private final Map<String, SetTransaction> txns = new LinkedHashMap<>();
    private final Map<String, DomainMetadata> domains = new LinkedHashMap<>();
    private final Map<String, String> metrics = new LinkedHashMap<>();
    private final List<AddFile> readFiles = new ArrayList<>();
    private boolean readWholeTable;
    private final List<dev.tarn.txlog.skipping.Predicate> readPredicates = new ArrayList<>();
    private boolean committed;
    private Optional<TarnException> postCommitFailure = Optional.empty();

    Transaction(TableLog log, Snapshot readSnapshot, String operation, Map<String, String> operationParameters) {
        this.log = requireNonNull(log, "log is null");
        this.readSnapshot = readSnapshot;
        this.operation = requireNonNull(operation, "operation is null");
        this.operationParameters = new LinkedHashMap<>(requireNonNull(operationParameters, "operationParameters is null"));
    }

    public Snapshot readSnapshot() {
        return readSnapshot;
    }

    /** The metadata this transaction will commit (the new one, or the read snapshot's). */
    public Metadata metadata() {
        return newMetadata != null ? newMetadata : readSnapshot == null ? null : readSnapshot.metadata();
    }

    /**
     * The protocol this transaction will commit: the one set explicitly; else, when the metadata changes, the read
     * protocol raised to support what the new table properties and schema need (as delta-spark upgrades on ALTER
     * TABLE SET TBLPROPERTIES); else the read protocol. New tables get {@link Protocol#forNewTable}.
     */
    public Protocol protocol() {
        if (newProtocol != null) {
            return newProtocol;
        }
        if (readSnapshot != null) {
            if (newMetadata == null) {
                return readSnapshot.protocol();
            }
            return readSnapshot.protocol().merge(Protocol.forNewTable(newMetadata.configuration(), newMetadata.schema()));
        }
        Metadata m = metadata();
        return m == null ? null : Protocol.forNewTable(m.configuration(), m.schema());
    }

    public void updateMetadata(Metadata m) {
        newMetadata = requireNonNull(m, "m is null");
    }

    public void updateProtocol(Protocol p) {
        newProtocol = requireNonNull(p, "p is null");
    }

    public void addFiles(List<AddFile> files) {
        adds.addAll(requireNonNull(files, "files is null"));
    }

    public void removeFiles(List<RemoveFile> files) {
        removes.addAll(requireNonNull(files, "files is null"));
    }

    /**
     * Change data files of this commit (PROTOCOL.md "Add CDC File"): when a commit has any, change-data readers
     * read only them, so they must hold every row the commit changes.
     */
    public void addChangeFiles(List<AddCdcFile> files) {
        changeFiles.addAll(requireNonNull(files, "files is null"));
    }

    /** Records an application transaction version (PROTOCOL.md "Transaction Identifiers") for idempotent writes. */
    public void setTransaction(String appId, long version) {
        txns.put(appId, new SetTransaction(appId, version, System.currentTimeMillis()));
    }

    public void updateDomainMetadata(DomainMetadata d) {
        domains.put(d.domain(), d);
    }

    /** Operation metrics for commitInfo (delta-spark names: numFiles, numOutputRows, numOutputBytes, ...). */
    public void setOperationMetrics(Map<String, String> operationMetrics) {
        metrics.putAll(requireNonNull(operationMetrics, "operationMetrics is null"));
    }

    /** Files whose content this transaction's result depends on: a concurrent remove of one is a conflict. */
    public void readFiles(Collection<AddFile> files) {
        readFiles.addAll(requireNonNull(files, "files is null"));
    }

    /**
     * The transaction read the rows matching this filter (a DELETE or UPDATE condition): under Serializable
     * isolation a concurrent commit adding a file that might match it conflicts.
     */
    public void readPredicate(dev.tarn.txlog.skipping.Predicate predicate) {
        readPredicates.add(requireNonNull(predicate, "predicate is null"));
    }

    /** The result depends on the whole table (e.g. an unfiltered DELETE or a MERGE source scan). */
    public void readWholeTable() {
        readWholeTable = true;
    }

    public boolean isBlindAppend() {
        return removes.isEmpty() && readFiles.isEmpty() && readPredicates.isEmpty() && !readWholeTable
                && adds.stream().allMatch(AddFile::dataChange);
    }

    /**
     * The error of post-commit work (the automatic checkpoint) after a successful commit, if it failed. The commit
     * itself is durable either way; readers replay JSON commits until a later checkpoint succeeds.
     */
    public Optional<TarnException> postCommitFailure() {
        return postCommitFailure;
    }

    /** Writes the commit; see the class comment for conflicts and retries. */
    public CommitResult commit() {
        if (committed) {
            throw new IllegalStateException("Transaction on " + log.location() + " was already committed");
        }
        Metadata metadata = metadata();
        if (metadata == null) {
            throw new TarnException(ErrorCode.VALIDATION_ERROR, "Creating table " + log.location()
                    + " needs a metaData action: call updateMetadata first");
        }
        Protocol protocol = protocol();
        metadata = withoutFeatureProperties(metadata);
        TableFeatures.checkWritable(protocol, metadata, log.location());
        validate(metadata);
        boolean dataChange = adds.stream().anyMatch(AddFile::dataChange) || removes.stream().anyMatch(RemoveFile::dataChange)
                || !changeFiles.isEmpty();
        // delta-spark's default is WriteSerializable: appends that read nothing never conflict with a DML commit.
        String isolation = !dataChange && readSnapshot != null ? "SnapshotIsolation"
                : metadata.configuration().getOrDefault("delta.isolationLevel", "WriteSerializable");
        boolean blind = isBlindAppend();

        String table = log.location();
        Set<FileKey> readOrRemoved = new HashSet<>();
        removes.forEach(r -> readOrRemoved.add(FileKey.of(table, r.path(), r.deletionVectorUniqueId())));
        readFiles.forEach(a -> readOrRemoved.add(FileKey.of(table, a.path(), a.deletionVectorUniqueId())));
        java.util.function.Predicate<AddFile> addConflicts = null;
        boolean checksAdds = "Serializable".equals(isolation) || "WriteSerializable".equals(isolation);
        if (checksAdds && !blind && (readWholeTable || !readPredicates.isEmpty())) {
            addConflicts = readWholeTable ? a -> true : readMatcher(metadata);
        }
        ConflictChecker checker = new ConflictChecker(log.location(), readSnapshot == null, readOrRemoved,
                readWholeTable, addConflicts, "WriteSerializable".equals(isolation), txns.keySet(), domains.keySet(),
                (path, dv) -> FileKey.of(table, path, dv));

        long attempt = readSnapshot == null ? 0 : readSnapshot.version() + 1;
        Snapshot latestSeen = readSnapshot;
        String txnId = UUID.randomUUID().toString();
        for (int tries = 1; tries <= MAX_ATTEMPTS; tries++) {
            List<Action> actions = actions(attempt, metadata, protocol, isolation, blind, txnId, latestSeen);
            byte[] content = serialize(actions);
            String file = log.logDirectory() + "/" + LogFile.commitName(attempt);
            if (log.fileIO().createExclusive(file, content)) {
                committed = true;
                Snapshot after = log.snapshotAfter(readSnapshot, attempt);
                postCommitFailure = Checkpoints.afterCommit(log.fileIO(), after);
                return new CommitResult(attempt, after);
            }
            // Lost the race: check every commit that landed since our read, then retry after the newest.
            long newest = attempt;
            while (log.fileIO().exists(log.logDirectory() + "/" + LogFile.commitName(newest + 1))) {
                newest++;
            }
            for (long v = attempt; v <= newest; v++) {
                checker.check(v, log.readCommit(v));
            }
            if (latestSeen != null) {
                // Row ids and in-commit timestamps continue from the newest commit.
                latestSeen = log.snapshotAfter(latestSeen, newest);
            }
            attempt = newest + 1;
        }
        throw new TarnException(ErrorCode.COMMIT_CONFLICT_RETRIES_EXHAUSTED, "Could not commit to table "
                + log.location() + " after " + MAX_ATTEMPTS + " attempts: other writers kept taking the next version");
    }

    /** {@code delta.feature.*} properties become protocol features; like delta-spark, they are not stored. */
    private static Metadata withoutFeatureProperties(Metadata m) {
        if (m.configuration().keySet().stream().noneMatch(Transaction::isFeatureProperty)) {
            return m;
        }
        Map<String, String> conf = new LinkedHashMap<>(m.configuration());
        conf.keySet().removeIf(Transaction::isFeatureProperty);
        return m.withConfiguration(conf);
    }

    private static boolean isFeatureProperty(String key) {
        return key.toLowerCase(java.util.Locale.ROOT).startsWith(Protocol.FEATURE_PROPERTY_PREFIX);
    }

    private void validate(Metadata metadata) {
        if ("true".equalsIgnoreCase(metadata.configuration().get("delta.appendOnly"))
                && removes.stream().anyMatch(RemoveFile::dataChange)) {
            throw new TarnException(ErrorCode.VALIDATION_ERROR, "Table " + log.location()
                    + " is append-only (delta.appendOnly=true): its rows cannot be deleted or updated");
        }
        Set<String> expected = new HashSet<>();
        var schema = metadata.schema();
        for (String pc : metadata.partitionColumns()) {
            expected.add(schema.field(pc).map(f -> f.physicalName()).orElse(pc));
        }
        for (AddFile a : adds) {
            if (!a.partitionValues().keySet().equals(expected)) {
                throw new TarnException(ErrorCode.VALIDATION_ERROR, "File " + a.path() + " has partition values for "
                        + a.partitionValues().keySet() + " but table " + log.location() + " is partitioned by "
                        + expected);
            }
        }
    }

    /** Whether an added file might hold rows any read predicate matches (conservative, like file skipping). */
    private java.util.function.Predicate<AddFile> readMatcher(Metadata metadata) {
        var schema = metadata.schema();
        var skipping = new dev.tarn.txlog.skipping.DataSkipping(schema, metadata.partitionColumns());
        List<dev.tarn.txlog.skipping.Predicate> normalized = readPredicates.stream()
                .map(p -> dev.tarn.txlog.skipping.DataSkipping.pushNot(p, false)).toList();
        return add -> {
            Map<String, Object> values = ScanBuilder.partitionValues(add, schema, metadata.partitionColumns(),
                    java.time.ZoneOffset.UTC);
            for (var p : normalized) {
                if (skipping.mightMatch(p, values, () -> FileStats.parse(add.stats()))) {
                    return true;
                }
            }
            return false;
        };
    }

    private static boolean rowTrackingEnabled(Protocol p) {
        return p.supportsWriterFeature("rowTracking");
    }

    private List<Action> actions(long version, Metadata metadata, Protocol protocol, String isolation, boolean blind,
                                 String txnId, Snapshot base) {
        List<Action> out = new ArrayList<>();
        long now = System.currentTimeMillis();
        Long ict = null;
        if ("true".equalsIgnoreCase(metadata.configuration().get("delta.enableInCommitTimestamps"))) {
            // "Writer Requirements for In-Commit Timestamps", 3 and 5: the later of now and one millisecond after the
            // previous commit (its inCommitTimestamp, or its file time when this commit enables the feature).
            ict = base == null ? now : Math.max(now, base.timestamp() + 1);
        }
        Map<String, String> opMetrics = new LinkedHashMap<>(metrics);
        if (!opMetrics.containsKey("numFiles") && !adds.isEmpty()) {
            opMetrics.put("numFiles", Long.toString(adds.size()));
        }
        if (!opMetrics.containsKey("numOutputBytes") && !adds.isEmpty()) {
            opMetrics.put("numOutputBytes", Long.toString(adds.stream().mapToLong(AddFile::size).sum()));
        }
        if (!opMetrics.containsKey("numOutputRows") && !adds.isEmpty()) {
            long rows = 0;
            for (AddFile a : adds) {
                long n = FileStats.parse(a.stats()).numRecords();
                if (n < 0) {
                    rows = -1;
                    break;
                }
                rows += n;
            }
            if (rows >= 0) {
                opMetrics.put("numOutputRows", Long.toString(rows));
            }
        }
        if (!removes.isEmpty() && !opMetrics.containsKey("numRemovedFiles")) {
            opMetrics.put("numRemovedFiles", Long.toString(removes.size()));
        }
        out.add(new CommitInfo(ict, now, operation, operationParameters,
                readSnapshot == null ? null : readSnapshot.version(), isolation, blind, opMetrics, ENGINE_INFO, txnId));
        if (readSnapshot == null || !protocol.equals(readSnapshot.protocol())) {
            out.add(protocol);
        }
        if (readSnapshot == null || newMetadata != null) {
            out.add(withIctEnablement(metadata, version, ict, base));
        }
        out.addAll(txns.values());
        List<AddFile> finalAdds = adds;
        Map<String, DomainMetadata> finalDomains = new LinkedHashMap<>(domains);
        if (rowTrackingEnabled(protocol)) {
            finalAdds = assignRowIds(version, base, finalDomains);
        }
        out.addAll(finalDomains.values());
        out.addAll(removes);
        out.addAll(finalAdds);
        out.addAll(changeFiles);
        return out;
    }

    /**
     * Enabling in-commit timestamps on a table with history records where they start (PROTOCOL.md "Writer
     * Requirements for In-Commit Timestamps", 4): {@code delta.inCommitTimestampEnablementVersion} is this version
     * and {@code delta.inCommitTimestampEnablementTimestamp} this commit's inCommitTimestamp, as delta-spark writes
     * them. A table created with them enabled needs neither: every commit has one.
     */
    private static Metadata withIctEnablement(Metadata metadata, long version, Long ict, Snapshot base) {
        if (ict == null || base == null
                || "true".equalsIgnoreCase(base.configuration().get("delta.enableInCommitTimestamps"))) {
            return metadata;
        }
        Map<String, String> conf = new LinkedHashMap<>(metadata.configuration());
        conf.put("delta.inCommitTimestampEnablementVersion", Long.toString(version));
        conf.put("delta.inCommitTimestampEnablementTimestamp", Long.toString(ict));
        return metadata.withConfiguration(conf);
    }

    /**
     * Row tracking (PROTOCOL.md "Row Tracking", "Writer Requirements for Row Tracking"): each new file gets a
     * fresh {@code baseRowId} above the table's high-water mark and {@code defaultRowCommitVersion} = this version;
     * the high-water mark in domain {@code delta.rowTracking} moves past the ids used.
     */
    private List<AddFile> assignRowIds(long version, Snapshot base, Map<String, DomainMetadata> outDomains) {
        long highWaterMark = -1;
        DomainMetadata current = base == null ? null : base.domainMetadata().get(ROW_TRACKING_DOMAIN);
        if (current != null) {
            try {
                JsonNode n = ActionJson.MAPPER.readTree(current.configuration());
                highWaterMark = n.path("rowIdHighWaterMark").asLong(-1);
            } catch (java.io.IOException e) {
                throw new TarnException(ErrorCode.CORRUPT_LOG, "Domain " + ROW_TRACKING_DOMAIN + " of table "
                        + log.location() + " holds invalid JSON: " + current.configuration(), e);
            }
        }
        List<AddFile> out = new ArrayList<>(adds.size());
        for (AddFile a : adds) {
            Long baseRowId = a.baseRowId();
            if (baseRowId == null) {
                long n = FileStats.parse(a.stats()).numRecords();
                if (n < 0) {
                    throw new TarnException(ErrorCode.VALIDATION_ERROR, "Table " + log.location()
                            + " tracks row ids, so file " + a.path() + " needs numRecords in its statistics");
                }
                baseRowId = highWaterMark + 1;
                highWaterMark += n;
            }
            out.add(a.withRowTracking(baseRowId, a.defaultRowCommitVersion() == null ? version : a.defaultRowCommitVersion()));
        }
        if (!adds.isEmpty()) {
            outDomains.put(ROW_TRACKING_DOMAIN, new DomainMetadata(ROW_TRACKING_DOMAIN,
                    "{\"rowIdHighWaterMark\":" + highWaterMark + "}", false));
        }
        return out;
    }

    private static byte[] serialize(List<Action> actions) {
        StringBuilder sb = new StringBuilder();
        for (Action a : actions) {
            sb.append(ActionJson.toLine(a)).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String engineVersion() {
        String v = Transaction.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }
}

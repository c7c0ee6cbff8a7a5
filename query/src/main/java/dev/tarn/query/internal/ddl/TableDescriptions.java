package dev.tarn.query.internal.ddl;

import static java.util.Objects.requireNonNull;

import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.catalog.DeltaTableHandle;
import dev.tarn.storage.fs.FileEntry;
import dev.tarn.txlog.Commit;
import dev.tarn.txlog.Snapshot;
import dev.tarn.txlog.TableLog;
import dev.tarn.txlog.action.Action;
import dev.tarn.txlog.action.CommitInfo;
import dev.tarn.txlog.action.Protocol;
import dev.tarn.txlog.types.ArrayType;
import dev.tarn.txlog.types.DataType;
import dev.tarn.txlog.types.MapType;
import dev.tarn.txlog.types.PrimitiveType;
import dev.tarn.txlog.types.StructField;
import dev.tarn.txlog.types.StructType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/** {@code DESCRIBE HISTORY} and {@code DESCRIBE DETAIL}: what delta-spark shows about a table, read from its log. */
final class TableDescriptions {
    private static final DataType STRING_MAP = new MapType(PrimitiveType.STRING, PrimitiveType.STRING, true);
    private static final DataType STRING_ARRAY = new ArrayType(PrimitiveType.STRING, true);

    static final List<ResultColumn> HISTORY_COLUMNS = List.of(
            new ResultColumn("version", PrimitiveType.LONG, false),
            new ResultColumn("timestamp", PrimitiveType.TIMESTAMP, false),
            new ResultColumn("operation", PrimitiveType.STRING, true),
            new ResultColumn("operationParameters", STRING_MAP, true),
            new ResultColumn("readVersion", PrimitiveType.LONG, true),
            new ResultColumn("isolationLevel", PrimitiveType.STRING, true),
            new ResultColumn("isBlindAppend", PrimitiveType.BOOLEAN, true),
            new ResultColumn("operationMetrics", STRING_MAP, true),
            new ResultColumn("engineInfo", PrimitiveType.STRING, true));

    static final List<ResultColumn> DETAIL_COLUMNS = List.of(
            new ResultColumn("format", PrimitiveType.STRING, false),
            new ResultColumn("id", PrimitiveType.STRING, false),
            new ResultColumn("name", PrimitiveType.STRING, true),
            new ResultColumn("description", PrimitiveType.STRING, true),
            new ResultColumn("location", PrimitiveType.STRING, false),
            new ResultColumn("createdAt", PrimitiveType.TIMESTAMP, true),
            new ResultColumn("lastModified", PrimitiveType.TIMESTAMP, false),
            new ResultColumn("partitionColumns", STRING_ARRAY, false),
            new ResultColumn("clusteringColumns", STRING_ARRAY, false),
            new ResultColumn("numFiles", PrimitiveType.LONG, false),
            new ResultColumn("sizeInBytes", PrimitiveType.LONG, false),
            new ResultColumn("properties", STRING_MAP, false),
            new ResultColumn("minReaderVersion", PrimitiveType.INTEGER, false),
            new ResultColumn("minWriterVersion", PrimitiveType.INTEGER, false),
            new ResultColumn("tableFeatures", STRING_ARRAY, false));

    private TableDescriptions() {}

    /**
     * One row per commit, newest first, from each commit's commitInfo (PROTOCOL.md "Commit Provenance Information").
     * Only the unbroken run of commit files ending at the latest version is listed: commits removed by log cleanup
     * are history no longer kept. The timestamp is the in-commit timestamp when present, else the commit file's
     * modification time, as time travel by timestamp uses.
     */
    static ValueTable history(DeltaTableHandle table, OptionalLong limit) {
        requireNonNull(table, "table is null");
        Snapshot snapshot = table.snapshot();
        TableLog log = snapshot.tableLog();
        long latest = snapshot.version();
        long first = earliestContiguousCommit(log, latest);
        if (limit.isPresent()) {
            first = Math.max(first, latest - limit.getAsLong() + 1);
        }
        List<List<Object>> rows = new ArrayList<>();
        if (first <= latest) {
            List<Commit> commits = log.commits(first, latest);
            for (int i = commits.size() - 1; i >= 0; i--) {
                rows.add(historyRow(commits.get(i)));
            }
        }
        return new ValueTable(HISTORY_COLUMNS, rows);
    }

    private static List<Object> historyRow(Commit commit) {
        CommitInfo info = null;
        for (Action a : commit.actions()) {
            if (a instanceof CommitInfo c) {
                info = c;
                break;
            }
        }
        List<Object> row = new ArrayList<>(HISTORY_COLUMNS.size());
        row.add(commit.version());
        row.add(Instant.ofEpochMilli(commit.timestamp()));
        row.add(info == null ? null : info.operation());
        row.add(info == null ? null : info.operationParameters());
        row.add(info == null ? null : info.readVersion());
        row.add(info == null ? null : info.isolationLevel());
        row.add(info == null ? null : info.isBlindAppend());
        row.add(info == null ? null : info.operationMetrics());
        row.add(info == null ? null : info.engineInfo());
        return row;
    }

    /** The first version of the run of commits (published, or ratified by the catalog) that ends at {@code latest}. */
    private static long earliestContiguousCommit(TableLog log, long latest) {
        Set<Long> versions = new HashSet<>();
        for (FileEntry e : log.fileIO().list(log.logDirectory())) {
            String n = e.name();
            if (n.length() == 25 && n.endsWith(".json") && n.substring(0, 20).chars().allMatch(Character::isDigit)) {
                versions.add(Long.parseLong(n.substring(0, 20)));
            }
        }
        // A catalog-managed table's newest commits may exist only as ratified staged commits.
        log.catalog().ifPresent(c -> c.ratifiedCommits().commits().forEach(r -> versions.add(r.version())));
        long first = latest;
        while (first > 0 && versions.contains(first - 1)) {
            first--;
        }
        return versions.contains(first) ? first : latest + 1;
    }

    /** One row describing the table's current version, with delta-spark's column names. */
    static ValueTable detail(DeltaTableHandle table, Optional<String> name) {
        requireNonNull(table, "table is null");
        Snapshot s = table.snapshot();
        List<Object> row = new ArrayList<>(DETAIL_COLUMNS.size());
        row.add("delta");
        row.add(s.metadata().id());
        row.add(name.orElse(null));
        row.add(s.metadata().description());
        row.add(s.tableLocation());
        row.add(s.metadata().createdTime() == null ? null : Instant.ofEpochMilli(s.metadata().createdTime()));
        row.add(Instant.ofEpochMilli(s.timestamp()));
        row.add(List.copyOf(s.partitionColumns()));
        List<Object> clustering = new ArrayList<>();
        for (List<String> path : s.clusteringColumns()) {
            clustering.add(logicalName(s.schema(), path));
        }
        row.add(clustering);
        row.add((long) s.activeFiles().size());
        row.add(s.sizeInBytes());
        row.add(s.configuration());
        row.add(s.protocol().minReaderVersion());
        row.add(s.protocol().minWriterVersion());
        row.add(List.copyOf(tableFeatures(s.protocol())));
        return new ValueTable(DETAIL_COLUMNS, List.of(row));
    }

    /**
     * Explicit features for table-features protocols; for legacy versions the features they imply (PROTOCOL.md
     * "Table Features": reader 2 implies columnMapping, writer 2..6 imply appendOnly, invariants, checkConstraints,
     * changeDataFeed, generatedColumns, columnMapping, identityColumns). Sorted.
     */
    static Set<String> tableFeatures(Protocol p) {
        Set<String> out = new TreeSet<>();
        out.addAll(p.readerFeatures());
        out.addAll(p.writerFeatures());
        if (!p.hasReaderFeatures() && p.minReaderVersion() >= 2) {
            out.add("columnMapping");
        }
        if (!p.hasWriterFeatures()) {
            for (String f : Arrays.asList("appendOnly", "invariants", "checkConstraints", "changeDataFeed",
                    "generatedColumns", "columnMapping", "identityColumns")) {
                if (p.supportsWriterFeature(f)) {
                    out.add(f);
                }
            }
        }
        return out;
    }

    /** A clustering column's logical dotted name from its physical-name path (names match under no column mapping). */
    private static String logicalName(StructType schema, List<String> physicalPath) {
        List<String> names = new ArrayList<>();
        DataType current = schema;
        for (String part : physicalPath) {
            StructField found = null;
            if (current instanceof StructType st) {
                for (StructField f : st.fields()) {
                    if (f.physicalName().equals(part) || f.name().equals(part)) {
                        found = f;
                        break;
                    }
                }
            }
            if (found == null) {
                names.add(part);
                current = null;
            } else {
                names.add(found.name());
                current = found.type();
            }
        }
        return String.join(".", names);
    }
}

package dev.tarn.maintenance.internal;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.storage.fs.FileIO;
import dev.tarn.txlog.CommitResult;
import dev.tarn.txlog.ScanFile;
import dev.tarn.txlog.Snapshot;
import dev.tarn.txlog.TableLog;
import dev.tarn.txlog.Transaction;
import dev.tarn.txlog.action.AddFile;
import dev.tarn.txlog.skipping.FileStats;
import dev.tarn.txlog.skipping.Predicate;
import dev.tarn.txlog.types.StructField;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The pieces OPTIMIZE and REORG ... APPLY (PURGE) share: choosing files by a partition predicate, grouping them by
 * partition, packing bins, streaming a bin into new files, and committing removes and adds that change no data
 * (PROTOCOL.md "Add File and Remove File": {@code dataChange = false} marks a rearrangement).
 */
public final class Rewrites {
    /** The files rewritten together into one partition's new files. */
    public record Bin(Map<String, String> partitionValues, List<AddFile> files) {
        public Bin {
            requireNonNull(partitionValues, "partitionValues is null");
            files = List.copyOf(requireNonNull(files, "files is null"));
        }

        public long bytes() {
            return files.stream().mapToLong(AddFile::size).sum();
        }
    }

    /** New files of a bin, and row counts. */
    public record Written(List<AddFile> adds, List<String> locations, long rowsWritten, long rowsDropped) {
        public Written {
            adds = List.copyOf(adds);
            locations = List.copyOf(locations);
        }
    }

    private Rewrites() {}

    /**
     * Refuses predicates over non-partition columns: maintenance rewrites whole files, so only a predicate that
     * decides per file (partition values) can say which files to touch.
     */
    public static void checkPartitionPredicate(Snapshot snapshot, Predicate predicate, String operation) {
        List<String> columns = new ArrayList<>();
        collectColumns(predicate, columns);
        for (String c : columns) {
            boolean partition = snapshot.partitionColumns().stream().anyMatch(p -> p.equalsIgnoreCase(c));
            if (!partition) {
                throw new TarnException(ErrorCode.VALIDATION_ERROR, operation + " on table "
                        + snapshot.tableLocation() + ": the predicate references column '" + c + "', which is not a"
                        + " partition column; only partition columns " + snapshot.partitionColumns()
                        + " may be used to choose the files to rewrite");
            }
        }
    }

    private static void collectColumns(Predicate p, List<String> out) {
        if (p instanceof Predicate.Comparison c) {
            out.add(c.column().name());
        } else if (p instanceof Predicate.IsNull n) {
            out.add(n.column().name());
        } else if (p instanceof Predicate.IsNotNull n) {
            out.add(n.column().name());
        } else if (p instanceof Predicate.In in) {
            out.add(in.column().name());
        } else if (p instanceof Predicate.And a) {
            a.children().forEach(ch -> collectColumns(ch, out));
        } else if (p instanceof Predicate.Or o) {
            o.children().forEach(ch -> collectColumns(ch, out));
        } else if (p instanceof Predicate.Not n) {
            collectColumns(n.child(), out);
        }
    }

    /** The live files in the partitions the predicate selects (all files without one), grouped by partition. */
    public static Map<Map<String, String>, List<AddFile>> filesByPartition(Snapshot snapshot, Optional<Predicate> predicate) {
        var builder = snapshot.scanBuilder();
        predicate.ifPresent(builder::withFilter);
        Map<Map<String, String>, List<AddFile>> out = new LinkedHashMap<>();
        for (ScanFile f : builder.build().files()) {
            out.computeIfAbsent(f.add().partitionValues(), k -> new ArrayList<>()).add(f.add());
        }
        return out;
    }

    /** The physical names of the partition columns, in partition order (the keys of add.partitionValues). */
    public static List<String> partitionKeys(Snapshot snapshot) {
        List<String> keys = new ArrayList<>();
        for (String pc : snapshot.partitionColumns()) {
            keys.add(snapshot.schema().field(pc).map(StructField::physicalName).orElse(pc));
        }
        return keys;
    }

    /** The share of a file's rows its deletion vector deletes (0 without one or without a row count). */
    public static double deletedRatio(AddFile f) {
        if (f.deletionVector() == null || f.deletionVector().cardinality() == 0) {
            return 0;
        }
        long n = FileStats.parse(f.stats()).numRecords();
        return n <= 0 ? 1.0 : (double) f.deletionVector().cardinality() / n;
    }

    /**
     * Packs one partition's candidate files, smallest first, into bins of at most {@code targetBytes} (a file alone
     * may exceed it). A bin of one file is kept only when {@code rewriteAlone} says that file needs rewriting by
     * itself (e.g. to drop deleted rows); otherwise rewriting it would produce the same file.
     */
    public static List<Bin> binPack(Map<String, String> partitionValues, List<AddFile> candidates, long targetBytes,
                                    java.util.function.Predicate<AddFile> rewriteAlone) {
        List<AddFile> sorted = new ArrayList<>(candidates);
        sorted.sort(Comparator.comparingLong(AddFile::size).thenComparing(AddFile::path));
        List<List<AddFile>> bins = new ArrayList<>();
        List<AddFile> current = new ArrayList<>();
        long bytes = 0;
        for (AddFile f : sorted) {
            if (!current.isEmpty() && bytes + f.size() > targetBytes) {
                bins.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(f);
            bytes += f.size();
        }
        if (!current.isEmpty()) {
            bins.add(current);
        }
        List<Bin> out = new ArrayList<>();
        for (List<AddFile> b : bins) {
            if (b.size() > 1 || rewriteAlone.test(b.get(0))) {
                out.add(new Bin(partitionValues, b));
            }
        }
        return out;
    }

    /** Streams every live row of a bin's files, in file order, into one new file (the bin is already target-sized). */
    public static Written writeBin(FileIO io, Snapshot snapshot, DataLayout layout, Bin bin, BufferAllocator allocator,
                                   String writeId, AtomicInteger counter) {
        long rows = 0;
        long dropped = 0;
        try (PartitionFileWriter writer = new PartitionFileWriter(io, snapshot.tableLocation(), layout,
                bin.partitionValues(), partitionKeys(snapshot), Long.MAX_VALUE, 1.0, writeId, counter)) {
            for (AddFile f : bin.files()) {
                try (FileBatches in = new FileBatches(io, snapshot.tableLocation(), layout, f, allocator)) {
                    for (VectorSchemaRoot b = in.next(); b != null; b = in.next()) {
                        writer.write(b);
                        rows += b.getRowCount();
                    }
                    dropped += in.rowsDropped();
                }
            }
            List<AddFile> adds = writer.finish();
            return new Written(adds, writer.locations(), rows, dropped);
        }
    }

    /**
     * Commits the rewrite: removes (dataChange = false) of the old files and adds (dataChange = false) of the new
     * ones. The old files are declared read, so a concurrent commit that removes or replaces one of them (DELETE,
     * UPDATE, MERGE, another OPTIMIZE) makes this commit fail with {@code CONCURRENT_MODIFICATION}, while
     * concurrent appends do not conflict and both land.
     */
    public static CommitResult commit(TableLog log, Snapshot snapshot, String operation, Map<String, String> parameters,
                                      List<AddFile> removed, List<AddFile> added, Map<String, String> metrics) {
        Transaction tx = log.newTransaction(snapshot, operation, parameters);
        long now = System.currentTimeMillis();
        tx.readFiles(removed);
        tx.removeFiles(removed.stream().map(a -> a.toRemove(now, false)).toList());
        tx.addFiles(added);
        tx.setOperationMetrics(metrics);
        return tx.commit();
    }

    /** delta-spark's OPTIMIZE operationMetrics for the files removed and added. */
    public static Map<String, String> metrics(List<AddFile> removed, List<AddFile> added, int consideredFiles,
                                              long startMillis, long endMillis, int batches) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("numRemovedFiles", Long.toString(removed.size()));
        m.put("numAddedFiles", Long.toString(added.size()));
        m.put("numRemovedBytes", Long.toString(removed.stream().mapToLong(AddFile::size).sum()));
        m.put("numAddedBytes", Long.toString(added.stream().mapToLong(AddFile::size).sum()));
        long[] sizes = added.stream().mapToLong(AddFile::size).sorted().toArray();
        if (sizes.length > 0) {
            m.put("minFileSize", Long.toString(sizes[0]));
            m.put("p25FileSize", Long.toString(sizes[(sizes.length - 1) / 4]));
            m.put("p50FileSize", Long.toString(sizes[(sizes.length - 1) / 2]));
            m.put("p75FileSize", Long.toString(sizes[(sizes.length - 1) * 3 / 4]));
            m.put("maxFileSize", Long.toString(sizes[sizes.length - 1]));
        }
        m.put("numDeletionVectorsRemoved", Long.toString(removed.stream().filter(a -> a.deletionVector() != null).count()));
        m.put("numBatches", Integer.toString(batches));
        m.put("totalConsideredFiles", Integer.toString(consideredFiles));
        m.put("totalFilesSkipped", Integer.toString(consideredFiles - removed.size()));
        m.put("preserveInsertionOrder", "false");
        m.put("startTimeMs", Long.toString(startMillis));
        m.put("endTimeMs", Long.toString(endMillis));
        return m;
    }

    /** A JSON array of strings, as delta-spark writes list-valued operationParameters. */
    public static String jsonArray(List<String> values) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append('"').append(values.get(i).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return sb.append(']').toString();
    }

    /** A readable rendering of a partition predicate for operationParameters. */
    public static String render(Predicate p) {
        if (p instanceof Predicate.Comparison c) {
            String op = switch (c.op()) {
                case EQ -> "=";
                case NE -> "<>";
                case LT -> "<";
                case LE -> "<=";
                case GT -> ">";
                case GE -> ">=";
            };
            return c.column().name() + " " + op + " " + literal(c.literal());
        } else if (p instanceof Predicate.IsNull n) {
            return n.column().name() + " IS NULL";
        } else if (p instanceof Predicate.IsNotNull n) {
            return n.column().name() + " IS NOT NULL";
        } else if (p instanceof Predicate.In in) {
            return in.column().name() + " IN (" + String.join(", ", in.values().stream().map(Rewrites::literal).toList()) + ")";
        } else if (p instanceof Predicate.And a) {
            return "(" + String.join(" AND ", a.children().stream().map(Rewrites::render).toList()) + ")";
        } else if (p instanceof Predicate.Or o) {
            return "(" + String.join(" OR ", o.children().stream().map(Rewrites::render).toList()) + ")";
        } else if (p instanceof Predicate.Not n) {
            return "NOT " + render(n.child());
        }
        return p.toString();
    }

    private static String literal(Predicate.Literal l) {
        if (l.value() == null) {
            return "NULL";
        }
        return l.value() instanceof String || l.value() instanceof java.time.temporal.Temporal
                ? "'" + l.value().toString().replace("'", "''") + "'" : l.value().toString().toLowerCase(Locale.ROOT);
    }
}

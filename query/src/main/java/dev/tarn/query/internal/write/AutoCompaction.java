package dev.tarn.query.internal.write;

import static java.util.Objects.requireNonNull;

import dev.tarn.maintenance.OptimizeOptions;
import dev.tarn.maintenance.OptimizeTask;
import dev.tarn.maintenance.RewriteResult;
import dev.tarn.txlog.PartitionValues;
import dev.tarn.txlog.Snapshot;
import dev.tarn.txlog.action.AddFile;
import dev.tarn.txlog.skipping.Predicate;
import dev.tarn.txlog.types.StructField;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Auto compaction ({@code delta.autoOptimize.autoCompact} = true, auto or legacy), as Databricks runs it: after a
 * write has committed, when the partitions it wrote hold at least {@value #DEFAULT_MIN_NUM_FILES} files smaller than
 * the target size ({@code delta.targetFileSize}, default 128 MiB), a bin-packing OPTIMIZE of those partitions'
 * small files runs as its own commit (operation OPTIMIZE, {@code "auto": "true"}), rewriting at most
 * {@code tarn.autoCompact.maxCompactBytes} (default 1 GiB) so a write never pays for the whole table.
 *
 * <p>The write is already committed when this runs, so nothing here may fail it: a conflict with a concurrent
 * writer, a bad setting or any other error just leaves the small files for the next write or OPTIMIZE.
 */
public final class AutoCompaction {
    public static final String PROPERTY = "delta.autoOptimize.autoCompact";
    /** Small files the written partitions need before compaction runs (delta-spark's autoCompact.minNumFiles). */
    public static final String MIN_NUM_FILES = "tarn.autoCompact.minNumFiles";
    public static final int DEFAULT_MIN_NUM_FILES = 50;
    /** Bound on the input bytes one auto compaction rewrites. */
    public static final String MAX_COMPACT_BYTES = "tarn.autoCompact.maxCompactBytes";
    public static final long DEFAULT_MAX_COMPACT_BYTES = 1L << 30;

    private AutoCompaction() {}

    /** Whether the table asks for auto compaction. */
    public static boolean enabled(Map<String, String> configuration) {
        String v = configuration.get(PROPERTY);
        return v != null && Set.of("true", "auto", "legacy").contains(v.trim().toLowerCase(Locale.ROOT));
    }

    /**
     * Runs auto compaction after the commit that produced {@code committed} and wrote {@code written}; empty when
     * it was not due, not enabled, or did not succeed (never throws for those).
     */
    public static Optional<RewriteResult> afterWrite(Snapshot committed, List<AddFile> written) {
        requireNonNull(committed, "committed is null");
        requireNonNull(written, "written is null");
        Map<String, String> config = committed.configuration();
        if (!enabled(config) || written.isEmpty()) {
            return Optional.empty();
        }
        try {
            int minFiles = Integer.parseInt(config.getOrDefault(MIN_NUM_FILES,
                    Integer.toString(DEFAULT_MIN_NUM_FILES)).trim());
            long maxBytes = Long.parseLong(config.getOrDefault(MAX_COMPACT_BYTES,
                    Long.toString(DEFAULT_MAX_COMPACT_BYTES)).trim());
            Set<Map<String, String>> partitions = new LinkedHashSet<>();
            for (AddFile a : written) {
                partitions.add(a.partitionValues());
            }
            long target = OptimizeTask.targetFileSize(committed, OptionalLong.empty());
            long small = committed.activeFiles().stream()
                    .filter(f -> f.size() < target && partitions.contains(f.partitionValues())).count();
            if (small < Math.max(2, minFiles)) {
                return Optional.empty();
            }
            OptimizeOptions options = OptimizeOptions.defaults().withAuto(Math.max(1, maxBytes));
            if (!committed.partitionColumns().isEmpty()) {
                options = options.withPartitionPredicate(partitionsPredicate(committed, partitions));
            }
            RewriteResult r = new OptimizeTask(committed.tableLog(), options).run();
            return r.committed() ? Optional.of(r) : Optional.empty();
        } catch (RuntimeException e) {
            // The user's write has committed; compaction is an optimization that the next write or OPTIMIZE retries.
            return Optional.empty();
        }
    }

    /** {@code (p1 = v1 AND p2 = v2) OR ...} over the written partitions, by logical column name and typed value. */
    private static Predicate partitionsPredicate(Snapshot s, Set<Map<String, String>> partitions) {
        List<Predicate> any = new ArrayList<>();
        for (Map<String, String> values : partitions) {
            List<Predicate> all = new ArrayList<>();
            for (String column : s.partitionColumns()) {
                StructField field = s.schema().field(column).orElseThrow();
                String raw = values.containsKey(field.physicalName()) ? values.get(field.physicalName())
                        : values.get(column);
                Predicate.Column c = Predicate.Column.of(field.name());
                Object value = raw == null ? null : PartitionValues.parse(raw, field.type());
                all.add(value == null ? new Predicate.IsNull(c)
                        : new Predicate.Comparison(c, Predicate.Op.EQ, new Predicate.Literal(value, field.type())));
            }
            any.add(all.size() == 1 ? all.get(0) : new Predicate.And(all));
        }
        return any.size() == 1 ? any.get(0) : new Predicate.Or(any);
    }
}

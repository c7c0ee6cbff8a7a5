package dev.tarn.txlog;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tarn.storage.parquet.ColumnStatistics;
import dev.tarn.storage.parquet.DataFileStatistics;
import dev.tarn.txlog.internal.json.ActionJson;
import dev.tarn.txlog.internal.json.StatsFormat;
import dev.tarn.txlog.types.DataType;
import dev.tarn.txlog.types.DecimalType;
import dev.tarn.txlog.types.PrimitiveType;
import dev.tarn.txlog.types.StructField;
import dev.tarn.txlog.types.StructType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds {@code add.stats} (PROTOCOL.md "Per-file Statistics") from a written file's statistics, in Spark's
 * format: {@code numRecords}, then {@code minValues}, {@code maxValues} and {@code nullCount} keyed by physical
 * column name (nested objects for struct fields), for the first {@code numIndexedCols} leaf columns
 * ({@code delta.dataSkippingNumIndexedCols}, default 32). Timestamps are written to the millisecond as
 * {@code 2024-01-01T00:00:00.000Z} (bounds are floored; readers widen the max), dates as {@code 2024-01-01},
 * decimals as JSON numbers; strings longer than 32 characters are truncated (the max gets a U+FFFD tie-breaker
 * so it stays an upper bound). Booleans, binaries, arrays and maps get a null count only.
 */
public final class StatsJson {
    public static final int DEFAULT_NUM_INDEXED_COLS = 32;
    private static final int STRING_PREFIX = 32;
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private StatsJson() {}

    public static String of(StructType schema, DataFileStatistics stats, int numIndexedCols) {
        requireNonNull(schema, "schema is null");
        requireNonNull(stats, "stats is null");
        ObjectNode root = F.objectNode();
        root.put("numRecords", stats.numRecords());
        ObjectNode min = root.putObject("minValues");
        ObjectNode max = root.putObject("maxValues");
        ObjectNode nulls = root.putObject("nullCount");
        int[] budget = {numIndexedCols < 0 ? Integer.MAX_VALUE : numIndexedCols};
        addStruct(schema, new ArrayList<>(), stats, min, max, nulls, budget);
        try {
            return ActionJson.MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The table's {@code delta.dataSkippingNumIndexedCols}, or 32. */
    public static int numIndexedCols(java.util.Map<String, String> configuration) {
        String v = configuration.get("delta.dataSkippingNumIndexedCols");
        try {
            return v == null ? DEFAULT_NUM_INDEXED_COLS : Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return DEFAULT_NUM_INDEXED_COLS;
        }
    }

    private static void addStruct(StructType struct, List<String> prefix, DataFileStatistics stats, ObjectNode min,
                                  ObjectNode max, ObjectNode nulls, int[] budget) {
        for (StructField f : struct.fields()) {
            if (budget[0] <= 0) {
                return;
            }
            List<String> path = new ArrayList<>(prefix);
            path.add(f.physicalName());
            if (f.type() instanceof StructType s) {
                ObjectNode cmin = F.objectNode();
                ObjectNode cmax = F.objectNode();
                ObjectNode cnull = F.objectNode();
                addStruct(s, path, stats, cmin, cmax, cnull, budget);
                if (!cmin.isEmpty()) {
                    min.set(f.physicalName(), cmin);
                }
                if (!cmax.isEmpty()) {
                    max.set(f.physicalName(), cmax);
                }
                if (!cnull.isEmpty()) {
                    nulls.set(f.physicalName(), cnull);
                }
                continue;
            }
            budget[0]--;
            ColumnStatistics c = stats.column(path).orElse(null);
            if (c == null) {
                continue;
            }
            if (c.nullCount() >= 0) {
                nulls.put(f.physicalName(), c.nullCount());
            }
            putValue(min, f.physicalName(), f.type(), c.min(), false);
            putValue(max, f.physicalName(), f.type(), c.max(), true);
        }
    }

    private static void putValue(ObjectNode o, String name, DataType type, Object v, boolean upper) {
        if (v == null) {
            return;
        }
        if (type instanceof DecimalType) {
            o.put(name, v instanceof BigDecimal b ? b : new BigDecimal(v.toString()));
            return;
        }
        if (!(type instanceof PrimitiveType p)) {
            return;
        }
        switch (p) {
            case BYTE, SHORT, INTEGER, LONG -> o.put(name, ((Number) v).longValue());
            case FLOAT, DOUBLE -> {
                double d = ((Number) v).doubleValue();
                if (!Double.isNaN(d) && !Double.isInfinite(d)) {
                    if (p == PrimitiveType.FLOAT) {
                        o.put(name, ((Number) v).floatValue());
                    } else {
                        o.put(name, d);
                    }
                }
            }
            case STRING -> {
                String s = (String) v;
                int cps = s.codePointCount(0, s.length());
                if (cps <= STRING_PREFIX) {
                    o.put(name, s);
                } else {
                    String prefix = s.substring(0, s.offsetByCodePoints(0, STRING_PREFIX));
                    if (!upper) {
                        o.put(name, prefix);
                    } else if (s.codePoints().skip(STRING_PREFIX).allMatch(cp -> cp <= 0xFFFD)) {
                        o.put(name, prefix + '\uFFFD');
                    }
                }
            }
            case DATE -> o.put(name, ((LocalDate) v).toString());
            case TIMESTAMP -> o.put(name, StatsFormat.timestamp((Instant) v));
            case TIMESTAMP_NTZ -> o.put(name, StatsFormat.timestampNtz((LocalDateTime) v));
            default -> {
                // booleans and binaries: null count only
            }
        }
    }
}

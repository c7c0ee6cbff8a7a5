package dev.tarn.txlog.skipping;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Parsed per-file statistics (PROTOCOL.md "Per-file Statistics"): {@code numRecords}, {@code minValues},
 * {@code maxValues}, {@code nullCount} keyed by physical column name (nested objects for struct fields), and
 * {@code tightBounds} (false after deletion vectors made the bounds wide).
 */
public final class FileStats {
    /**
     * Tarn's counts of each value of a file's low-cardinality top-level string columns ({@code {"column": {"value":
     * count}}}, by physical name): a field the protocol does not define, which other readers ignore (they read
     * statistics through a schema).
     */
    public static final String VALUE_COUNTS = "tarnValueCounts";

    private final JsonNode root;

    private FileStats(JsonNode root) {
        this.root = root;
    }

    /** Parses stats JSON; empty statistics for null or unparsable input (skipping then keeps the file). */
    public static FileStats parse(String statsJson) {
        if (statsJson == null || statsJson.isBlank()) {
            return new FileStats(null);
        }
        try {
            JsonNode n = dev.tarn.txlog.internal.json.ActionJson.MAPPER.readTree(statsJson);
            return new FileStats(n != null && n.isObject() ? n : null);
        } catch (java.io.IOException e) {
            return new FileStats(null);
        }
    }

    public boolean isEmpty() {
        return root == null;
    }

    /** The record count, or -1 when unknown. */
    public long numRecords() {
        return root != null && root.path("numRecords").isIntegralNumber() ? root.get("numRecords").asLong() : -1;
    }

    /** True unless the stats say {@code "tightBounds": false}. */
    public boolean tightBounds() {
        return root == null || !root.path("tightBounds").isBoolean() || root.get("tightBounds").asBoolean();
    }

    public JsonNode min(List<String> physicalPath) {
        return at("minValues", physicalPath);
    }

    public JsonNode max(List<String> physicalPath) {
        return at("maxValues", physicalPath);
    }

    /**
     * How often each value of a top-level column occurs in the file, as Tarn counted it ({@link #VALUE_COUNTS}), or
     * null when it did not.
     */
    public java.util.Map<String, Long> valueCounts(String physicalName) {
        JsonNode n = at(VALUE_COUNTS, List.of(physicalName));
        if (n == null || !n.isObject()) {
            return null;
        }
        java.util.Map<String, Long> counts = new java.util.HashMap<>();
        for (var it = n.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().isIntegralNumber()) {
                return null;
            }
            counts.put(e.getKey(), e.getValue().asLong());
        }
        return counts;
    }

    /** The null count, or -1 when unknown. */
    public long nullCount(List<String> physicalPath) {
        JsonNode n = at("nullCount", physicalPath);
        return n != null && n.isIntegralNumber() ? n.asLong() : -1;
    }

    private JsonNode at(String section, List<String> path) {
        if (root == null) {
            return null;
        }
        JsonNode n = root.get(section);
        for (String p : path) {
            if (n == null || !n.isObject()) {
                return null;
            }
            n = n.get(p);
        }
        return n == null || n.isNull() ? null : n;
    }
}

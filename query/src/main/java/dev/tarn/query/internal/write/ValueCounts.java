package dev.tarn.query.internal.write;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tarn.txlog.skipping.FileStats;
import dev.tarn.txlog.types.PrimitiveType;
import dev.tarn.txlog.types.StructField;
import dev.tarn.txlog.types.StructType;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * How often each value of a data file's top-level string columns occurs, counted while the file is written as long as
 * there are at most {@value #LIMIT} distinct values of at most {@value #MAX_VALUE_BYTES} bytes, and kept in the
 * file's statistics under {@value FileStats#VALUE_COUNTS} (by physical column name; other columns are left out).
 * Delta's statistics have no distinct values (PROTOCOL.md "Per-file Statistics": numRecords, minValues, maxValues,
 * nullCount), and min/max say nothing about the strings between, so the planner would guess an equality on a flag
 * column (TPC-H's {@code o_orderstatus = 'F'}, half the rows) at a tenth; with the counts it knows the fraction, skew
 * included (a rare flag value stays rare). Readers parse the statistics fields they know and ignore others (Spark
 * and delta-kernel read them through a schema), so the extra field changes nothing for them. Values are told apart
 * by a 64-bit hash of their bytes. Not thread-safe: one per file being written.
 */
final class ValueCounts {
    /** Columns with more distinct values than this in a file get no counts. */
    static final int LIMIT = 32;
    /** Columns with a longer value get no counts (the statistics stay small). */
    static final int MAX_VALUE_BYTES = 64;
    private static final int SLOTS = 64; // open addressing, at most half full
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String[] names;
    private final long[][] hashes;
    private final long[][] occurrences;
    private final String[][] values;
    /** Distinct values so far per counted column; -1 once over a limit (or not a string column). */
    private final int[] counts;

    ValueCounts(StructType schema) {
        requireNonNull(schema, "schema is null");
        List<StructField> fields = schema.fields();
        names = new String[fields.size()];
        hashes = new long[fields.size()][];
        occurrences = new long[fields.size()][];
        values = new String[fields.size()][];
        counts = new int[fields.size()];
        for (int i = 0; i < fields.size(); i++) {
            StructField f = fields.get(i);
            if (f.type() == PrimitiveType.STRING) {
                names[i] = f.physicalName();
                hashes[i] = new long[SLOTS];
                occurrences[i] = new long[SLOTS];
                values[i] = new String[SLOTS];
            } else {
                counts[i] = -1;
            }
        }
    }

    /** Counts the values of rows {@code [0, rows)} of the data columns {@code vectors} (in schema order). */
    void add(List<FieldVector> vectors, int rows) {
        for (int c = 0; c < counts.length && c < vectors.size(); c++) {
            if (counts[c] < 0) {
                continue;
            }
            if (!(vectors.get(c) instanceof VarCharVector v)) {
                drop(c);
                continue;
            }
            ArrowBuf offsets = v.getOffsetBuffer();
            ArrowBuf data = v.getDataBuffer();
            boolean nulls = v.getNullCount() > 0;
            long previous = 0;
            int previousSlot = -1;
            for (int r = 0; r < rows && counts[c] >= 0; r++) {
                if (nulls && v.isNull(r)) {
                    continue;
                }
                int start = offsets.getInt((long) r * 4);
                int end = offsets.getInt((long) (r + 1) * 4);
                long h = hash(data, start, end);
                if (h == previous) { // runs of one value (sorted or clustered columns) are looked up once
                    occurrences[c][previousSlot]++;
                    continue;
                }
                previousSlot = insert(c, h, data, start, end);
                previous = previousSlot < 0 ? 0 : h;
            }
        }
    }

    private static long hash(ArrowBuf data, int start, int end) {
        long h = 0xcbf29ce484222325L ^ (end - start);
        int i = start;
        for (; i + 8 <= end; i += 8) {
            h = (h ^ data.getLong(i)) * 0x100000001b3L;
            h ^= h >>> 29;
        }
        for (; i < end; i++) {
            h = (h ^ data.getByte(i)) * 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h == 0 ? 1 : h; // 0 marks an empty slot
    }

    /** Counts one occurrence of the value hashed {@code h}; returns its slot, or -1 when the column was dropped. */
    private int insert(int column, long h, ArrowBuf data, int start, int end) {
        long[] table = hashes[column];
        int slot = (int) h & (SLOTS - 1);
        while (table[slot] != 0) {
            if (table[slot] == h) {
                occurrences[column][slot]++;
                return slot;
            }
            slot = (slot + 1) & (SLOTS - 1);
        }
        if (counts[column] == LIMIT || end - start > MAX_VALUE_BYTES) {
            drop(column); // too many or too long to be worth keeping
            return -1;
        }
        byte[] bytes = new byte[end - start];
        data.getBytes(start, bytes);
        table[slot] = h;
        occurrences[column][slot] = 1;
        values[column][slot] = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        counts[column]++;
        return slot;
    }

    private void drop(int column) {
        counts[column] = -1;
        hashes[column] = null;
        occurrences[column] = null;
        values[column] = null;
    }

    /** {@code statsJson} with the counts of the columns that stayed within the limits (unchanged when none did). */
    String addTo(String statsJson) {
        ObjectNode counted = MAPPER.createObjectNode();
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] >= 0) {
                ObjectNode column = counted.putObject(names[c]);
                for (int slot = 0; slot < SLOTS; slot++) {
                    if (hashes[c][slot] != 0) {
                        column.put(values[c][slot], occurrences[c][slot]);
                    }
                }
            }
        }
        if (counted.isEmpty() || statsJson == null) {
            return statsJson;
        }
        try {
            ObjectNode root = (ObjectNode) MAPPER.readTree(statsJson);
            root.set(FileStats.VALUE_COUNTS, counted);
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException | ClassCastException e) {
            return statsJson;
        }
    }
}

package dev.tarn.storage.parquet.internal;

import java.util.Arrays;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * One Parquet leaf column being read: for the current batch, its definition and repetition levels (one entry per
 * level pair) and its non-null values in order, in a primitive array of the physical type (no boxing).
 */
public final class LeafColumn {
    final ColumnDescriptor descriptor;
    final int maxDef;
    final int maxRep;
    private final PrimitiveTypeName physical;

    private ColumnReader reader;
    private long remainingInChunk;

    // Batch buffers.
    int levelCount;
    int valueCount;
    int[] def = new int[0];
    int[] rep = new int[0];
    boolean[] booleans;
    int[] ints;
    long[] longs;
    float[] floats;
    double[] doubles;
    Binary[] binaries;

    private int[] identitySlots = new int[0];
    private int[] rowSlots = new int[0];

    /** Position in the read plan's leaf list; slot arrays are indexed by it. */
    final int id;

    LeafColumn(ColumnDescriptor descriptor, int id) {
        this.descriptor = descriptor;
        this.id = id;
        this.maxDef = descriptor.getMaxDefinitionLevel();
        this.maxRep = descriptor.getMaxRepetitionLevel();
        this.physical = descriptor.getPrimitiveType().getPrimitiveTypeName();
    }

    public ColumnDescriptor descriptor() {
        return descriptor;
    }

    void startRowGroup(ColumnReader reader) {
        this.reader = reader;
        this.remainingInChunk = reader.getTotalValueCount();
    }

    /** Reads the levels and values of the next {@code records} top-level rows. */
    void readRecords(int records) {
        levelCount = 0;
        valueCount = 0;
        int started = 0;
        int capacity = Math.max(records, 16);
        ensureLevels(capacity);
        ensureValues(capacity);
        if (maxRep == 0) {
            readFlat(records);
            return;
        }
        while (remainingInChunk > 0) {
            int r = reader.getCurrentRepetitionLevel();
            if (r == 0) {
                if (started == records) {
                    break;
                }
                started++;
            }
            int d = reader.getCurrentDefinitionLevel();
            if (levelCount == def.length) {
                ensureLevels(levelCount * 2);
            }
            def[levelCount] = d;
            rep[levelCount] = r;
            levelCount++;
            if (d == maxDef) {
                if (valueCount == capacityOfValues()) {
                    ensureValues(valueCount * 2);
                }
                readValue();
                valueCount++;
            }
            reader.consume();
            remainingInChunk--;
        }
        if (started != records) {
            throw new IllegalStateException("Column " + Arrays.toString(descriptor.getPath()) + " ended after "
                    + started + " of " + records + " rows");
        }
    }

    /** Not repeated: exactly one level entry per row, repetition levels all 0. */
    private void readFlat(int records) {
        if (remainingInChunk < records) {
            throw new IllegalStateException("Column " + Arrays.toString(descriptor.getPath()) + " has only "
                    + remainingInChunk + " of " + records + " rows left");
        }
        int[] d = def;
        for (int k = 0; k < records; k++) {
            int level = reader.getCurrentDefinitionLevel();
            d[k] = level;
            if (level == maxDef) {
                readValue();
                valueCount++;
            }
            reader.consume();
        }
        java.util.Arrays.fill(rep, 0, records, 0);
        levelCount = records;
        remainingInChunk -= records;
    }

    private void readValue() {
        switch (physical) {
            case BOOLEAN -> booleans[valueCount] = reader.getBoolean();
            case INT32 -> ints[valueCount] = reader.getInteger();
            case INT64 -> longs[valueCount] = reader.getLong();
            case FLOAT -> floats[valueCount] = reader.getFloat();
            case DOUBLE -> doubles[valueCount] = reader.getDouble();
            default -> binaries[valueCount] = reader.getBinary();
        }
    }

    private void ensureLevels(int n) {
        if (def.length < n) {
            def = Arrays.copyOf(def, n);
            rep = Arrays.copyOf(rep, n);
        }
    }

    private int capacityOfValues() {
        return switch (physical) {
            case BOOLEAN -> booleans.length;
            case INT32 -> ints.length;
            case INT64 -> longs.length;
            case FLOAT -> floats.length;
            case DOUBLE -> doubles.length;
            default -> binaries.length;
        };
    }

    private void ensureValues(int n) {
        switch (physical) {
            case BOOLEAN -> booleans = booleans == null ? new boolean[n] : booleans.length < n ? Arrays.copyOf(booleans, n) : booleans;
            case INT32 -> ints = ints == null ? new int[n] : ints.length < n ? Arrays.copyOf(ints, n) : ints;
            case INT64 -> longs = longs == null ? new long[n] : longs.length < n ? Arrays.copyOf(longs, n) : longs;
            case FLOAT -> floats = floats == null ? new float[n] : floats.length < n ? Arrays.copyOf(floats, n) : floats;
            case DOUBLE -> doubles = doubles == null ? new double[n] : doubles.length < n ? Arrays.copyOf(doubles, n) : doubles;
            default -> binaries = binaries == null ? new Binary[n] : binaries.length < n ? Arrays.copyOf(binaries, n) : binaries;
        }
    }

    /** Entry indices that start a top-level row (all entries when the column is not repeated). */
    int[] topLevelSlots(int records) {
        if (maxRep == 0) {
            // Shared and never written by readers (nodes replace slot arrays, they do not modify them).
            if (identitySlots.length < records) {
                identitySlots = new int[records];
                for (int i = 0; i < records; i++) {
                    identitySlots[i] = i;
                }
            }
            return identitySlots;
        }
        if (rowSlots.length < records) {
            rowSlots = new int[records];
        }
        int[] slots = rowSlots; // reused per batch: nodes replace slot arrays, they do not modify them
        int j = 0;
        for (int e = 0; e < levelCount; e++) {
            if (rep[e] == 0) {
                slots[j++] = e;
            }
        }
        return slots;
    }
}

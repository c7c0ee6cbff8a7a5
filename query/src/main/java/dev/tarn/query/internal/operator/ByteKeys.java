package dev.tarn.query.internal.operator;

import java.util.Arrays;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Group ids of one or two string keys whose values are all single bytes in a batch (TPC-H's flags:
 * {@code l_returnflag, l_linestatus}): the bytes form a 16-bit code that indexes an array of group ids, so a row
 * finds its group with neither packing nor hashing. A batch with another key, or a code not seen yet, takes the
 * caller's general path, after which the codes' groups are remembered.
 */
final class ByteKeys {
    private static final int UNKNOWN = -1;
    /** Group id by code (first column's byte, then the second's shifted by 8). */
    private final int[] ids = new int[1 << 16];
    private int[] codes = new int[0];

    ByteKeys() {
        Arrays.fill(ids, UNKNOWN);
    }

    /** Whether a GROUP BY of these key kinds ({@link NormalizedKeys#kinds}) may use byte codes. */
    static boolean supports(String[] kinds) {
        if (kinds.length == 0 || kinds.length > 2) {
            return false;
        }
        for (String k : kinds) {
            if (!k.equals("S")) {
                return false;
            }
        }
        return true;
    }

    /** Heap bytes held. */
    static long bytes() {
        return 4L << 16;
    }

    /**
     * The codes of rows {@code [0, n)}; false when some key column is not a string vector or some value is NULL or
     * not exactly one byte long.
     */
    boolean encode(VectorSchemaRoot batch, int[] columns, int n) {
        if (codes.length < n) {
            codes = new int[Math.max(n, Batches.BATCH_ROWS)];
        }
        int[] c = codes;
        for (int k = 0; k < columns.length; k++) {
            FieldVector v = batch.getVector(columns[k]);
            if (!(v instanceof VarCharVector s) || s.getNullCount() > 0) {
                return false;
            }
            ArrowBuf offsets = s.getOffsetBuffer();
            ArrowBuf data = s.getDataBuffer();
            if (n == 0) {
                continue;
            }
            if (offsets.capacity() < (long) (n + 1) * 4) {
                return false;
            }
            long offsetAddress = offsets.memoryAddress();
            int first = MemoryUtil.getInt(offsetAddress);
            // Every value one byte long: the offsets count up by one, so value i is byte first + i.
            int mismatch = 0;
            for (int i = 0; i <= n; i++) {
                mismatch |= MemoryUtil.getInt(offsetAddress + 4L * i) - (first + i);
            }
            if (mismatch != 0 || first < 0 || first + (long) n > data.capacity()) {
                return false;
            }
            long dataAddress = data.memoryAddress() + first;
            int shift = 8 * k;
            if (k == 0) {
                for (int i = 0; i < n; i++) {
                    c[i] = MemoryUtil.getByte(dataAddress + i) & 0xFF;
                }
            } else {
                for (int i = 0; i < n; i++) {
                    c[i] |= (MemoryUtil.getByte(dataAddress + i) & 0xFF) << shift;
                }
            }
        }
        return true;
    }

    /** The groups of the {@link #encode encoded} rows; false when some code has no group yet. */
    boolean lookUp(int n, int[] groups) {
        int[] c = codes;
        int unknown = 0;
        for (int i = 0; i < n; i++) {
            int id = ids[c[i]];
            groups[i] = id;
            unknown |= id;
        }
        // Ids are non-negative, so only UNKNOWN sets the sign bit.
        return unknown >= 0;
    }

    /** Remembers the groups the general path gave the {@link #encode encoded} rows. */
    void remember(int n, int[] groups) {
        int[] c = codes;
        for (int i = 0; i < n; i++) {
            ids[c[i]] = groups[i];
        }
    }
}

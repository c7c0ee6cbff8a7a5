package dev.tarn.storage.parquet.internal;

import java.util.Arrays;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.StructVector;

/**
 * One requested Arrow field bound to its Parquet counterpart. Nodes rebuild Arrow's nested layout from Parquet
 * definition and repetition levels, one column at a time.
 *
 * <p>A "slot" is a level entry (index into a leaf's level arrays) that starts one value of this node's vector. For
 * every leaf below the node, {@code slots[leaf id]} lists the node's {@code count} slots in that leaf's entries:
 * all leaves agree on the structure above them but have different entries, so each carries its own slots.
 */
public abstract class ReadNode {
    /** Leaves read for this subtree; the first one decides validity and list sizes. */
    final List<LeafColumn> leaves;

    ReadNode(List<LeafColumn> leaves) {
        this.leaves = leaves;
    }

    abstract void assemble(FieldVector vector, LeafColumn[] byId, int[][] slots, int count);

    /**
     * A scratch array of at least {@code length}, reused across batches: a node belongs to one reader's plan and
     * assembles one batch at a time, and a checkpoint of a million files is over a hundred batches whose
     * per-batch validity, offset and slot arrays were otherwise most of its decoding garbage.
     */
    static int[] ints(int[] scratch, int length) {
        return scratch.length >= length ? scratch : new int[Math.max(length, scratch.length * 3 / 2)];
    }

    static byte[] bytes(byte[] scratch, int length) {
        return scratch.length >= length ? scratch : new byte[Math.max(length, scratch.length * 3 / 2)];
    }

    static void allocate(FieldVector vector, int count) {
        vector.setInitialCapacity(Math.max(count, 1));
        vector.allocateNew();
    }

    /** A requested column the file does not have: all nulls. */
    static final class Missing extends ReadNode {
        Missing() {
            super(List.of());
        }

        @Override
        void assemble(FieldVector vector, LeafColumn[] byId, int[][] slots, int count) {
            allocate(vector, count);
            vector.setValueCount(count);
        }
    }

    static final class Leaf extends ReadNode {
        private final int id;
        private final LeafDecoder decoder;
        final org.apache.arrow.vector.types.pojo.ArrowType type;
        /** The page decoder holding this batch's values when it reads the leaf in this row group, else null. */
        PageColumnReader pages;

        Leaf(LeafColumn column, int id, LeafDecoder decoder, org.apache.arrow.vector.types.pojo.ArrowType type) {
            super(List.of(column));
            this.id = id;
            this.decoder = decoder;
            this.type = type;
        }

        @Override
        void assemble(FieldVector vector, LeafColumn[] byId, int[][] slots, int count) {
            if (pages != null) {
                pages.write(vector, slots[id], count);
                return;
            }
            allocate(vector, count);
            decoder.decode(vector, byId[id], slots[id], count);
            vector.setValueCount(count);
        }
    }

    static final class Struct extends ReadNode {
        List<ReadNode> children() {
            return children;
        }

        private final int presentDef;
        private final List<ReadNode> children;
        private final int anchorId;
        private byte[] bitsScratch = new byte[0];

        Struct(List<LeafColumn> leaves, int anchorId, int presentDef, List<ReadNode> children) {
            super(leaves);
            this.anchorId = anchorId;
            this.presentDef = presentDef;
            this.children = children;
        }

        @Override
        void assemble(FieldVector vector, LeafColumn[] byId, int[][] slots, int count) {
            StructVector sv = (StructVector) vector;
            allocate(sv, count);
            LeafColumn anchor = byId[anchorId];
            int[] s = slots[anchorId];
            int[] def = anchor.def;
            int bitBytes = (count + 7) >>> 3;
            byte[] bits = bitsScratch = bytes(bitsScratch, bitBytes);
            Arrays.fill(bits, 0, bitBytes, (byte) 0);
            for (int j = 0; j < count; j++) {
                if (def[s[j]] >= presentDef) {
                    bits[j >>> 3] |= (byte) (1 << (j & 7));
                }
            }
            sv.getValidityBuffer().setBytes(0, bits, 0, bitBytes);
            for (int i = 0; i < children.size(); i++) {
                children.get(i).assemble((FieldVector) sv.getChildByOrdinal(i), byId, slots, count);
            }
            sv.setValueCount(count);
        }
    }

    /**
     * A list or map. The list is non-null when an entry's definition level reaches {@code presentDef}, has at least
     * one element when it reaches {@code elementDef}; entries whose repetition level equals {@code elementRep}
     * continue the current list with a new element.
     */
    static final class Repeated extends ReadNode {
        private final int presentDef;
        private final int elementDef;
        private final int elementRep;
        private final ReadNode element;
        private final int anchorId;
        private final int[] leafIds;
        /** Per-batch scratch (see {@link ReadNode#ints}); {@code elementSlots[k]} is handed to the element as slots. */
        private final int[][] elementSlots;
        private int[] sizesScratch = new int[0];
        private byte[] bitsScratch = new byte[0];
        private byte[] offsetsScratch = new byte[0];

        Repeated(List<LeafColumn> leaves, int[] leafIds, int anchorId, int presentDef, int elementDef, int elementRep,
                 ReadNode element) {
            super(leaves);
            this.leafIds = leafIds;
            this.anchorId = anchorId;
            this.presentDef = presentDef;
            this.elementDef = elementDef;
            this.elementRep = elementRep;
            this.element = element;
            this.elementSlots = new int[leafIds.length][0];
        }

        ReadNode element() {
            return element;
        }

        @Override
        void assemble(FieldVector vector, LeafColumn[] byId, int[][] slots, int count) {
            ListVector lv = (ListVector) vector;
            allocate(lv, count);
            int elementCount = 0;
            int[] sizes = sizesScratch = ints(sizesScratch, count);
            Arrays.fill(sizes, 0, count, 0);
            int[] anchorListSlots = slots[anchorId];
            for (int k = 0; k < leafIds.length; k++) {
                int id = leafIds[k];
                LeafColumn leaf = byId[id];
                int[] s = slots[id];
                int[] def = leaf.def;
                int[] rep = leaf.rep;
                // Never the array it reads (s): that belongs to the parent or the leaf, this one to this node.
                int[] out = elementSlots[k] = ints(elementSlots[k], Math.max(leaf.levelCount, 1));
                int m = 0;
                int j = 0;
                boolean isAnchor = id == anchorId;
                for (int e = 0; e < leaf.levelCount; e++) {
                    if (j < count && s[j] == e) {
                        j++;
                        if (def[e] >= elementDef) {
                            out[m++] = e;
                            if (isAnchor) {
                                sizes[j - 1]++;
                            }
                        }
                    } else if (rep[e] == elementRep) {
                        out[m++] = e;
                        if (isAnchor) {
                            sizes[j - 1]++;
                        }
                    }
                }
                slots[id] = out;
                if (isAnchor) {
                    elementCount = m;
                }
            }
            // Validity and offsets are built on the heap and copied in once: Arrow's per-row setters check bounds
            // and fill offsets one row at a time.
            int[] anchorDef = byId[anchorId].def;
            int bitBytes = (count + 7) >>> 3;
            int offsetBytes = (count + 1) * 4;
            byte[] bits = bitsScratch = bytes(bitsScratch, bitBytes);
            Arrays.fill(bits, 0, bitBytes, (byte) 0);
            byte[] offsets = offsetsScratch = bytes(offsetsScratch, offsetBytes);
            BitUnpacking.INT_LE.set(offsets, 0, 0);
            int end = 0;
            for (int j = 0; j < count; j++) {
                if (anchorDef[anchorListSlots[j]] >= presentDef) {
                    bits[j >>> 3] |= (byte) (1 << (j & 7));
                    end += sizes[j];
                }
                BitUnpacking.INT_LE.set(offsets, (j + 1) * 4, end);
            }
            while (lv.getValueCapacity() < count) {
                lv.reAlloc();
            }
            lv.getValidityBuffer().setBytes(0, bits, 0, bitBytes);
            lv.getOffsetBuffer().setBytes(0, offsets, 0, offsetBytes);
            lv.setLastSet(count - 1);
            element.assemble(lv.getDataVector(), byId, slots, elementCount);
            lv.setValueCount(count);
        }
    }
}

package dev.tarn.txlog.internal.checkpoint;

import dev.tarn.txlog.action.AddFile;
import dev.tarn.txlog.action.DeletionVectorDescriptor;
import dev.tarn.txlog.action.RemoveFile;
import dev.tarn.txlog.internal.replay.AddColumns;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.complex.MapVector;
import org.apache.arrow.vector.complex.StructVector;

/**
 * Decodes the {@code add} or {@code remove} column of one checkpoint batch straight into actions (PROTOCOL.md
 * "Checkpoint Schema"), with the child vectors looked up once per batch. This is the hot path of snapshot loading:
 * a checkpoint holds one row per live file. A row this decoder cannot take as is (a required field null, a field
 * of another type, JSON stats missing but {@code stats_parsed} present, a value the action rejects) yields null,
 * and the caller falls back to the general JSON route, which reports malformed rows with its usual messages.
 */
final class FileActionColumns {
    private final StructVector column;
    private final VarCharVector path;
    private final MapVector partitionValues;
    private final BaseIntVector size;
    private final BaseIntVector modificationTime;
    private final BitVector dataChange;
    private final VarCharVector stats;
    private final ValueVector statsParsed;
    private final MapVector tags;
    private final Dv dv;
    private final BaseIntVector baseRowId;
    private final BaseIntVector defaultRowCommitVersion;
    private final VarCharVector clusteringProvider;
    private final BaseIntVector deletionTimestamp;
    private final BitVector extendedFileMetadata;

    /**
     * Optional fields null in every row of the batch (usually tags, deletionVector, the row-tracking fields and
     * clusteringProvider) are dropped here, once per batch, and read as absent: the same values as asking each row.
     */
    private FileActionColumns(StructVector column) {
        this.column = column;
        this.path = child(column, "path", VarCharVector.class);
        this.partitionValues = present(stringMap(column, "partitionValues"));
        this.size = child(column, "size", BaseIntVector.class);
        this.modificationTime = child(column, "modificationTime", BaseIntVector.class);
        this.dataChange = present(child(column, "dataChange", BitVector.class));
        this.stats = present(child(column, "stats", VarCharVector.class));
        this.statsParsed = present(column.getChild("stats_parsed"));
        this.tags = present(stringMap(column, "tags"));
        StructVector dvColumn = present(child(column, "deletionVector", StructVector.class));
        this.dv = dvColumn == null ? null : new Dv(dvColumn);
        this.baseRowId = present(child(column, "baseRowId", BaseIntVector.class));
        this.defaultRowCommitVersion = present(child(column, "defaultRowCommitVersion", BaseIntVector.class));
        this.clusteringProvider = present(child(column, "clusteringProvider", VarCharVector.class));
        this.deletionTimestamp = present(child(column, "deletionTimestamp", BaseIntVector.class));
        this.extendedFileMetadata = present(child(column, "extendedFileMetadata", BitVector.class));
    }

    /** The vector, or null when it is absent or null in every row. */
    private static <T> T present(T vector) {
        ValueVector v = (ValueVector) vector;
        return v == null || v.getNullCount() == v.getValueCount() ? null : vector;
    }

    /** A decoder for an add or remove column, or null when the column's layout is not the expected one. */
    static FileActionColumns of(ValueVector column) {
        if (!(column instanceof StructVector s)) {
            return null;
        }
        try {
            FileActionColumns c = new FileActionColumns(s);
            return c.path == null || (c.dv != null && !c.dv.valid) ? null : c;
        } catch (UnexpectedType e) {
            return null;
        }
    }

    /** The add of a row, or null when the row needs the general route. */
    AddFile add(int i) {
        String p = string(path, i);
        if (p == null || p.isEmpty() || isNull(size, i) || isNull(modificationTime, i)) {
            return null;
        }
        String statsJson = string(stats, i);
        if (statsJson == null && statsParsed != null && !statsParsed.isNull(i)) {
            return null; // stats only as a struct: the general route rebuilds the JSON
        }
        long sz = ((BaseIntVector) size).getValueAsLong(i);
        if (sz < 0) {
            return null;
        }
        DeletionVectorDescriptor d = null;
        if (dv != null && !dv.column.isNull(i)) {
            d = dv.descriptor(i);
            if (d == null) {
                return null;
            }
        }
        Map<String, String> pv = map(partitionValues, i);
        return new AddFile(p, pv == null ? Map.of() : pv, sz, modificationTime.getValueAsLong(i), bool(dataChange, i),
                statsJson, map(tags, i), d, optionalLong(baseRowId, i), optionalLong(defaultRowCommitVersion, i),
                string(clusteringProvider, i));
    }

    /**
     * Appends the add of a row to {@code adds} by column, with the same checks as {@link #add(int)}; false (nothing
     * appended) when the row needs the general route.
     */
    boolean appendAdd(int i, AddColumns.Builder adds) {
        if (path.isNull(i) || path.getEndOffset(i) == path.getStartOffset(i) || isNull(size, i)
                || isNull(modificationTime, i)) {
            return false;
        }
        boolean hasStats = stats != null && !stats.isNull(i);
        if (!hasStats && statsParsed != null && !statsParsed.isNull(i)) {
            return false; // stats only as a struct: the general route rebuilds the JSON
        }
        long sz = size.getValueAsLong(i);
        if (sz < 0) {
            return false;
        }
        DeletionVectorDescriptor d = null;
        if (dv != null && !dv.column.isNull(i)) {
            d = dv.descriptor(i);
            if (d == null) {
                return false;
            }
        }
        adds.add(path, hasStats ? stats : null, i, map(partitionValues, i), sz, modificationTime.getValueAsLong(i),
                bool(dataChange, i), map(tags, i), d, optionalLong(baseRowId, i), optionalLong(defaultRowCommitVersion, i),
                string(clusteringProvider, i));
        return true;
    }

    /** The remove of a row, or null when the row needs the general route. */
    RemoveFile remove(int i) {
        String p = string(path, i);
        if (p == null) {
            return null;
        }
        DeletionVectorDescriptor d = null;
        if (dv != null && !dv.column.isNull(i)) {
            d = dv.descriptor(i);
            if (d == null) {
                return null;
            }
        }
        Boolean extended = extendedFileMetadata == null || extendedFileMetadata.isNull(i) ? null
                : extendedFileMetadata.get(i) != 0;
        return new RemoveFile(p, optionalLong(deletionTimestamp, i), bool(dataChange, i), extended,
                map(partitionValues, i), optionalLong(size, i), map(tags, i), d,
                optionalLong(baseRowId, i), optionalLong(defaultRowCommitVersion, i), string(stats, i));
    }

    StructVector column() {
        return column;
    }

    private static final class UnexpectedType extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnexpectedType() {
            super(null, null, false, false);
        }
    }

    private static <T> T child(StructVector parent, String name, Class<T> type) {
        ValueVector v = parent.getChild(name);
        if (v == null) {
            return null;
        }
        if (!type.isInstance(v)) {
            throw new UnexpectedType();
        }
        return type.cast(v);
    }

    /** A map child whose keys and values are strings, as the general route reads them. */
    private static MapVector stringMap(StructVector parent, String name) {
        MapVector m = child(parent, name, MapVector.class);
        if (m != null && (!(m.getDataVector() instanceof StructVector entries)
                || !(entries.getChild(MapVector.KEY_NAME) instanceof VarCharVector)
                || !(entries.getChild(MapVector.VALUE_NAME) instanceof VarCharVector))) {
            throw new UnexpectedType();
        }
        return m;
    }

    private static boolean isNull(BaseIntVector v, int i) {
        return v == null || ((ValueVector) v).isNull(i);
    }

    private static Long optionalLong(BaseIntVector v, int i) {
        return isNull(v, i) ? null : v.getValueAsLong(i);
    }

    private static boolean bool(BitVector v, int i) {
        return v != null && !v.isNull(i) && v.get(i) != 0;
    }

    /** Scratch space for one value's bytes, so a string costs one copy out of Arrow memory instead of two. */
    private static final ThreadLocal<byte[][]> SCRATCH = ThreadLocal.withInitial(() -> new byte[][] {new byte[1024]});

    private static String string(VarCharVector v, int i) {
        if (v == null || v.isNull(i)) {
            return null;
        }
        int start = v.getStartOffset(i);
        int length = v.getEndOffset(i) - start;
        byte[][] holder = SCRATCH.get();
        byte[] bytes = holder[0];
        if (bytes.length < length) {
            bytes = new byte[Math.max(length, bytes.length * 2)];
            if (bytes.length <= 1 << 20) {
                holder[0] = bytes; // keep it unless one huge value would pin it
            }
        }
        v.getDataBuffer().getBytes(start, bytes, 0, length);
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    /** A string map (values may be null), or null when absent. */
    private static Map<String, String> map(MapVector m, int i) {
        if (m == null || m.isNull(i)) {
            return null;
        }
        int start = m.getElementStartIndex(i);
        int end = m.getElementEndIndex(i);
        if (start == end) {
            return Map.of();
        }
        StructVector entries = (StructVector) m.getDataVector();
        VarCharVector keys = (VarCharVector) entries.getChild(MapVector.KEY_NAME);
        VarCharVector values = (VarCharVector) entries.getChild(MapVector.VALUE_NAME);
        Map<String, String> out = new LinkedHashMap<>();
        for (int j = start; j < end; j++) {
            out.put(string(keys, j), string(values, j));
        }
        return out;
    }

    /** The deletionVector struct's children ("Deletion Vector Descriptor Schema"). */
    private static final class Dv {
        final StructVector column;
        final VarCharVector storageType;
        final VarCharVector pathOrInlineDv;
        final BaseIntVector offset;
        final BaseIntVector sizeInBytes;
        final BaseIntVector cardinality;
        final BaseIntVector maxRowIndex;
        final boolean valid;

        Dv(StructVector column) {
            this.column = column;
            this.storageType = child(column, "storageType", VarCharVector.class);
            this.pathOrInlineDv = child(column, "pathOrInlineDv", VarCharVector.class);
            this.offset = child(column, "offset", BaseIntVector.class);
            this.sizeInBytes = child(column, "sizeInBytes", BaseIntVector.class);
            this.cardinality = child(column, "cardinality", BaseIntVector.class);
            this.maxRowIndex = child(column, "maxRowIndex", BaseIntVector.class);
            this.valid = storageType != null && pathOrInlineDv != null && sizeInBytes != null && cardinality != null;
        }

        DeletionVectorDescriptor descriptor(int i) {
            if (storageType.isNull(i) || pathOrInlineDv.isNull(i) || isNull(sizeInBytes, i) || isNull(cardinality, i)) {
                return null;
            }
            long bytes = sizeInBytes.getValueAsLong(i);
            long card = cardinality.getValueAsLong(i);
            if (bytes < 0 || bytes > Integer.MAX_VALUE || card < 0) {
                return null;
            }
            DeletionVectorDescriptor.StorageType type;
            String pathOrInline = string(pathOrInlineDv, i);
            try {
                type = DeletionVectorDescriptor.StorageType.fromCode(string(storageType, i));
                return new DeletionVectorDescriptor(type, pathOrInline,
                        isNull(offset, i) ? null : (int) offset.getValueAsLong(i), (int) bytes, card,
                        optionalLong(maxRowIndex, i));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }
}

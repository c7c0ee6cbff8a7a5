package dev.tarn.txlog.action;

import static java.util.Objects.requireNonNull;

import java.util.UUID;

/**
 * Where a data file's deletion vector lives (PROTOCOL.md "Deletion Vector Descriptor Schema").
 *
 * @param offset byte offset of the DV inside its file (on-disk DVs); null for inline DVs or when absent
 * @param maxRowIndex null when absent
 */
public record DeletionVectorDescriptor(StorageType storageType, String pathOrInlineDv, Integer offset,
                                       int sizeInBytes, long cardinality, Long maxRowIndex) {

    /** The {@code storageType} letters of PROTOCOL.md. */
    public enum StorageType {
        /** {@code u}: a file in the table directory named by a UUID (Z85-encoded), with an optional random prefix. */
        UUID_RELATIVE("u"),
        /** {@code i}: the bitmap itself, Z85-encoded in {@code pathOrInlineDv}. */
        INLINE("i"),
        /** {@code p}: an absolute path. */
        ABSOLUTE_PATH("p");

        private final String code;

        StorageType(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }

        public static StorageType fromCode(String code) {
            for (StorageType t : values()) {
                if (t.code.equals(code)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("Unknown deletion vector storageType '" + code + "'");
        }
    }

    public DeletionVectorDescriptor {
        requireNonNull(storageType, "storageType is null");
        requireNonNull(pathOrInlineDv, "pathOrInlineDv is null");
        if (sizeInBytes < 0) {
            throw new IllegalArgumentException("sizeInBytes is negative: " + sizeInBytes);
        }
        if (cardinality < 0) {
            throw new IllegalArgumentException("cardinality is negative: " + cardinality);
        }
        if (storageType == StorageType.UUID_RELATIVE && pathOrInlineDv.length() < 20) {
            throw new IllegalArgumentException("UUID deletion vector id must be at least 20 characters: " + pathOrInlineDv);
        }
    }

    /**
     * The DV's identity within a table: storage type, path or inline data and offset ("Derived Fields": uniqueId).
     * Log replay keys files by (path, uniqueId).
     */
    public String uniqueId() {
        String id = storageType.code() + pathOrInlineDv;
        return offset == null ? id : id + "@" + offset;
    }

    public boolean isInline() {
        return storageType == StorageType.INLINE;
    }

    /**
     * The absolute location of the DV file ("Derived Fields": absolutePath): for {@code u}, the table directory,
     * the random prefix (all but the last 20 characters) as a subdirectory, and {@code deletion_vector_<uuid>.bin};
     * for {@code p}, the path itself. Inline DVs have no file.
     */
    public String absolutePath(String tableLocation) {
        requireNonNull(tableLocation, "tableLocation is null");
        return switch (storageType) {
            case INLINE -> throw new IllegalStateException("An inline deletion vector has no file");
            case ABSOLUTE_PATH -> dev.tarn.txlog.internal.LogPaths.decode(pathOrInlineDv);
            case UUID_RELATIVE -> {
                int split = pathOrInlineDv.length() - 20;
                String prefix = pathOrInlineDv.substring(0, split);
                UUID uuid = Z85Uuid.decode(pathOrInlineDv.substring(split));
                String base = tableLocation.endsWith("/") ? tableLocation : tableLocation + "/";
                yield base + (prefix.isEmpty() ? "" : prefix + "/") + "deletion_vector_" + uuid + ".bin";
            }
        };
    }
}

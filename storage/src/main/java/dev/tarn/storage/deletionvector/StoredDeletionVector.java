package dev.tarn.storage.deletionvector;

/**
 * Where {@link DeletionVectorFileWriter} put one deletion vector: the descriptor fields {@code offset},
 * {@code sizeInBytes} and {@code cardinality} of PROTOCOL.md "Deletion Vector Descriptor Schema".
 */
public record StoredDeletionVector(int offset, int sizeInBytes, long cardinality) {
    public StoredDeletionVector {
        if (offset < 1) {
            throw new IllegalArgumentException("offset must be at least 1 (after the version byte): " + offset);
        }
        if (sizeInBytes <= 0) {
            throw new IllegalArgumentException("sizeInBytes must be positive: " + sizeInBytes);
        }
        if (cardinality < 0) {
            throw new IllegalArgumentException("cardinality is negative: " + cardinality);
        }
    }
}

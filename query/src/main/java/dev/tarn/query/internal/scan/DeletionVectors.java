package dev.tarn.query.internal.scan;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.storage.deletionvector.DeletionVectorFiles;
import dev.tarn.storage.deletionvector.RoaringBitmapArray;
import dev.tarn.storage.fs.FileIO;
import dev.tarn.txlog.action.DeletionVectorDescriptor;

/**
 * Loads the deletion vector of a data file (PROTOCOL.md "Deletion Vectors"): inline ones are decoded from the log,
 * others read from their file through FileIO; storage checks size, CRC-32 and cardinality either way.
 */
final class DeletionVectors {
    private DeletionVectors() {}

    static RoaringBitmapArray load(FileIO io, String tableLocation, DeletionVectorDescriptor dv, String displayName) {
        if (dv.isInline()) {
            return DeletionVectorFiles.decodeInline(dv.pathOrInlineDv(), dv.sizeInBytes(), dv.cardinality());
        }
        String location;
        try {
            location = dv.absolutePath(tableLocation);
        } catch (RuntimeException e) {
            throw new TarnException(ErrorCode.CORRUPT_DELETION_VECTOR, "Deletion vector " + dv.uniqueId()
                    + " of table " + displayName + " has an invalid path: " + e.getMessage(), e);
        }
        long offset = dv.offset() == null ? 1 : dv.offset();
        return DeletionVectorFiles.read(io.newInputFile(location), offset, dv.sizeInBytes(), dv.cardinality());
    }
}

package dev.tarn.query.internal.scan;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.storage.fs.FileIO;
import dev.tarn.txlog.action.DeletionVectorDescriptor;
import java.util.function.LongPredicate;

/** Loads a file's deletion vector as a test "is row N deleted". */
final class DeletionVectors {
    private DeletionVectors() {}

    static LongPredicate load(FileIO io, String tableLocation, DeletionVectorDescriptor dv, String displayName) {
        throw new TarnException(ErrorCode.UNSUPPORTED_FEATURE, "Deletion vectors cannot be read yet (table "
                + displayName + ")");
    }
}

package dev.tarn.storage.deletionvector;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.storage.fs.IoErrors;
import dev.tarn.storage.fs.OutputFile;
import dev.tarn.storage.fs.PositionOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;

/**
 * Writes a DV file in the format of PROTOCOL.md "Deletion Vector File Storage Format": the version byte, then for
 * each DV its big-endian size, bytes and CRC-32. Each {@link #add} returns the descriptor fields for that DV.
 */
public final class DeletionVectorFileWriter implements AutoCloseable {
    private final String location;
    private final PositionOutputStream out;
    private boolean closed;

    private DeletionVectorFileWriter(String location, PositionOutputStream out) {
        this.location = location;
        this.out = out;
    }

    public static DeletionVectorFileWriter create(OutputFile file) {
        requireNonNull(file, "file is null");
        PositionOutputStream out = file.create();
        try {
            out.write(DeletionVectorFiles.FORMAT_VERSION);
        } catch (IOException e) {
            try {
                out.close();
            } catch (IOException ignored) {
                // Reporting the write failure below.
            }
            throw IoErrors.wrap(file.location(), "write deletion vector file", e);
        }
        return new DeletionVectorFileWriter(file.location(), out);
    }

    /** Writes one DV (which must not be empty: an empty DV is no DV) and returns where it went. */
    public StoredDeletionVector add(RoaringBitmapArray bitmap) {
        requireNonNull(bitmap, "bitmap is null");
        if (closed) {
            throw new IllegalStateException("Deletion vector file " + location + " is closed");
        }
        if (bitmap.isEmpty()) {
            throw new TarnException(ErrorCode.INTERNAL_ERROR, "Refusing to write an empty deletion vector to " + location);
        }
        byte[] data = bitmap.serialize();
        CRC32 crc = new CRC32();
        crc.update(data);
        try {
            long offset = out.position();
            if (offset + 8L + data.length > Integer.MAX_VALUE) {
                throw new TarnException(ErrorCode.INTERNAL_ERROR, "Deletion vector file " + location + " would exceed 2 GiB");
            }
            out.write(ByteBuffer.allocate(4).putInt(data.length).array());
            out.write(data);
            out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
            return new StoredDeletionVector((int) offset, data.length, bitmap.cardinality());
        } catch (IOException e) {
            throw IoErrors.wrap(location, "write deletion vector file", e);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            out.close();
        } catch (IOException e) {
            throw IoErrors.wrap(location, "close deletion vector file", e);
        }
    }
}

package dev.tarn.storage.deletionvector;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.storage.fs.InputFile;
import dev.tarn.storage.fs.IoErrors;
import dev.tarn.storage.fs.SeekableInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.UUID;
import java.util.zip.CRC32;

/**
 * Reading deletion vectors, validating everything the format lets us check (PROTOCOL.md, "Deletion Vector File
 * Storage Format"): a DV file starts with the version byte {@code 1}; each DV in it is a 4-byte big-endian size,
 * the serialized {@link RoaringBitmapArray}, then the 4-byte big-endian CRC-32 of those bytes. The size must match
 * the descriptor's {@code sizeInBytes}, the checksum the data, and the decoded cardinality the descriptor's
 * {@code cardinality}; any mismatch is {@code CORRUPT_DELETION_VECTOR} naming the file and offset.
 */
public final class DeletionVectorFiles {
    public static final byte FORMAT_VERSION = 1;
    private static final String FILE_PREFIX = "deletion_vector_";
    private static final int UUID_CHARS = 20;

    private DeletionVectorFiles() {}

    /** Reads the DV stored at {@code offset} of {@code file} and checks size, checksum and cardinality. */
    public static RoaringBitmapArray read(InputFile file, long offset, int sizeInBytes, long expectedCardinality) {
        requireNonNull(file, "file is null");
        String where = file.location() + " at offset " + offset;
        if (offset < 1) {
            throw corrupt(where, "offset must be at least 1");
        }
        if (sizeInBytes <= 0) {
            throw corrupt(where, "descriptor sizeInBytes " + sizeInBytes + " is not positive");
        }
        byte[] data;
        int storedCrc;
        try (SeekableInputStream in = file.newStream()) {
            int version = in.read();
            if (version != FORMAT_VERSION) {
                throw corrupt(where, "file format version is " + version + ", expected " + FORMAT_VERSION);
            }
            in.seek(offset);
            byte[] header = new byte[4];
            in.readFully(header, 0, 4);
            int size = ByteBuffer.wrap(header).getInt();
            if (size != sizeInBytes) {
                throw corrupt(where, "stored size is " + size + " bytes but the descriptor says " + sizeInBytes);
            }
            data = new byte[size];
            in.readFully(data, 0, size);
            in.readFully(header, 0, 4);
            storedCrc = ByteBuffer.wrap(header).getInt();
        } catch (EOFException e) {
            throw new TarnException(ErrorCode.CORRUPT_DELETION_VECTOR,
                    "Deletion vector " + where + " is truncated: " + e.getMessage(), e);
        } catch (IOException e) {
            throw IoErrors.wrap(file.location(), "read deletion vector from", e);
        }
        CRC32 crc = new CRC32();
        crc.update(data);
        if ((int) crc.getValue() != storedCrc) {
            throw corrupt(where, String.format("CRC-32 mismatch (stored %08x, computed %08x)", storedCrc, (int) crc.getValue()));
        }
        return checked(RoaringBitmapArray.deserialize(data, where), where, expectedCardinality);
    }

    /** Decodes an inline DV ({@code storageType = 'i'}): Z85 text of {@code sizeInBytes} serialized bytes. */
    public static RoaringBitmapArray decodeInline(String encoded, int sizeInBytes, long expectedCardinality) {
        requireNonNull(encoded, "encoded is null");
        String where = "inline (" + sizeInBytes + " bytes)";
        return checked(RoaringBitmapArray.deserialize(Z85.decode(encoded, sizeInBytes), where), where, expectedCardinality);
    }

    /** The Z85 text for storing {@code bitmap} inline; its {@code sizeInBytes} is {@code bitmap.serialize().length}. */
    public static String encodeInline(RoaringBitmapArray bitmap) {
        return Z85.encode(bitmap.serialize());
    }

    private static RoaringBitmapArray checked(RoaringBitmapArray bitmap, String where, long expectedCardinality) {
        if (bitmap.cardinality() != expectedCardinality) {
            throw corrupt(where, "holds " + bitmap.cardinality() + " row indexes but the descriptor says " + expectedCardinality);
        }
        return bitmap;
    }

    /** The file name of the DV file with this UUID: {@code deletion_vector_<uuid>.bin}. */
    public static String fileName(UUID uuid) {
        return FILE_PREFIX + uuid + ".bin";
    }

    /**
     * The table-relative path of a {@code storageType = 'u'} DV file from its {@code pathOrInlineDv}: an optional
     * random prefix (a directory) followed by the 20-character Z85 UUID.
     */
    public static String relativePath(String pathOrInlineDv) {
        requireNonNull(pathOrInlineDv, "pathOrInlineDv is null");
        if (pathOrInlineDv.length() < UUID_CHARS) {
            throw new TarnException(ErrorCode.CORRUPT_DELETION_VECTOR,
                    "Deletion vector path '" + pathOrInlineDv + "' is shorter than an encoded UUID");
        }
        int split = pathOrInlineDv.length() - UUID_CHARS;
        String prefix = pathOrInlineDv.substring(0, split);
        String name = fileName(Z85.decodeUuid(pathOrInlineDv.substring(split)));
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    /** The {@code pathOrInlineDv} for a DV file with this UUID and optional random prefix (may be empty). */
    public static String encodePath(String randomPrefix, UUID uuid) {
        return requireNonNull(randomPrefix, "randomPrefix is null") + Z85.encodeUuid(uuid);
    }

    private static TarnException corrupt(String where, String what) {
        return new TarnException(ErrorCode.CORRUPT_DELETION_VECTOR, "Deletion vector " + where + ": " + what);
    }
}

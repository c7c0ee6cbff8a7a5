package dev.tarn.maintenance.internal;

import static java.util.Objects.requireNonNull;

import dev.tarn.storage.deletionvector.DeletionVectorFiles;
import dev.tarn.storage.deletionvector.RoaringBitmapArray;
import dev.tarn.storage.fs.FileIO;
import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.txlog.action.DeletionVectorDescriptor;

/**
 * Paths of the files a table's log references, relative to the table root (PROTOCOL.md "Data Files": paths in
 * actions are URI-encoded, relative to the table root or absolute), and loading of deletion vectors
 * (PROTOCOL.md "Deletion Vectors").
 */
public final class TablePaths {
    private TablePaths() {}

    /** A table location without a {@code file:} scheme or trailing slash, comparable with listed locations. */
    public static String plainRoot(String tableLocation) {
        String p = stripFileScheme(requireNonNull(tableLocation, "tableLocation is null"));
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    /**
     * The path relative to the table root of a decoded action path; null when it is absolute and outside the
     * table (such files are never the table's to delete).
     */
    public static String relativize(String plainRoot, String decodedPath) {
        String p = stripFileScheme(decodedPath);
        if (!p.startsWith("/") && !p.contains(":")) {
            return p;
        }
        String prefix = plainRoot + "/";
        return p.startsWith(prefix) ? p.substring(prefix.length()) : null;
    }

    /** The location of a file named by a decoded action path (relative to the table root or absolute). */
    public static String absolute(String tableLocation, String decodedPath) {
        boolean isAbsolute = decodedPath.startsWith("/") || decodedPath.contains(":");
        return isAbsolute ? decodedPath : plainRoot(tableLocation) + "/" + decodedPath;
    }

    /** The table-relative path of a deletion vector's file; null for inline DVs and files outside the table. */
    public static String deletionVectorPath(String plainRoot, DeletionVectorDescriptor dv) {
        return switch (dv.storageType()) {
            case INLINE -> null;
            case UUID_RELATIVE -> DeletionVectorFiles.relativePath(dv.pathOrInlineDv());
            case ABSOLUTE_PATH -> relativize(plainRoot, decode(dv.pathOrInlineDv()));
        };
    }

    /** Percent-decodes (UTF-8) a URI-encoded path from the log, such as {@code add.path} or {@code cdc.path}. */
    public static String decode(String encoded) {
        if (encoded.indexOf('%') < 0) {
            return encoded;
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%' && i + 2 < encoded.length()
                    && Character.digit(encoded.charAt(i + 1), 16) >= 0 && Character.digit(encoded.charAt(i + 2), 16) >= 0) {
                out.write(Integer.parseInt(encoded.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                int end = Character.isHighSurrogate(c) && i + 1 < encoded.length() ? i + 2 : i + 1;
                byte[] b = encoded.substring(i, end).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
                i = end - 1;
            }
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Loads and validates (size, CRC-32, cardinality) the rows a deletion vector deletes. */
    public static RoaringBitmapArray loadDeletionVector(FileIO io, String tableLocation, DeletionVectorDescriptor dv) {
        if (dv.isInline()) {
            return DeletionVectorFiles.decodeInline(dv.pathOrInlineDv(), dv.sizeInBytes(), dv.cardinality());
        }
        String location;
        try {
            location = dv.absolutePath(tableLocation);
        } catch (RuntimeException e) {
            throw new TarnException(ErrorCode.CORRUPT_DELETION_VECTOR, "Deletion vector " + dv.uniqueId()
                    + " of table " + tableLocation + " has an invalid path: " + e.getMessage(), e);
        }
        long offset = dv.offset() == null ? 1 : dv.offset();
        return DeletionVectorFiles.read(io.newInputFile(location), offset, dv.sizeInBytes(), dv.cardinality());
    }

    private static String stripFileScheme(String p) {
        if (!p.startsWith("file:")) {
            return p;
        }
        String s = p.substring(5);
        while (s.startsWith("//")) {
            s = s.substring(1);
        }
        return s;
    }
}

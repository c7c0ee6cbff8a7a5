package dev.tarn.txlog.internal.replay;

import static java.util.Objects.requireNonNull;

import dev.tarn.txlog.internal.LogPaths;

/**
 * The identity of a logical file during reconciliation (PROTOCOL.md "Action Reconciliation": "The primary key for
 * the entry of a logical file in the set of files is a tuple of the data file's path and a unique id describing the
 * DV"). The path is canonical: URI-decoded, and relative to the table root when the file lies inside it, so
 * {@code file:/t/x}, {@code /t/x} and {@code x} in table {@code /t} are one key. Keeping inside files relative
 * means the common log path (relative, nothing to decode) is its own key, with no string built per file.
 */
public record FileKey(String path, String deletionVectorId) {
    public FileKey {
        requireNonNull(path, "path is null");
    }

    /** The key of a log path (URI, relative or absolute) and DV unique id within a table. */
    public static FileKey of(String tableLocation, String logPath, String deletionVectorId) {
        return new FileKey(canonicalPath(tableLocation, logPath), deletionVectorId);
    }

    /** The decoded path, relative to the table root when the file is inside it, else absolute. */
    static String canonicalPath(String tableLocation, String logPath) {
        String decoded = LogPaths.decode(logPath);
        if (!LogPaths.isAbsolute(decoded)) {
            return decoded;
        }
        int n = tableLocation.length();
        boolean endsWithSlash = tableLocation.endsWith("/");
        if (decoded.startsWith(tableLocation)
                && (endsWithSlash ? decoded.length() > n : decoded.length() > n + 1 && decoded.charAt(n) == '/')) {
            return decoded.substring(endsWithSlash ? n : n + 1);
        }
        return decoded;
    }
}

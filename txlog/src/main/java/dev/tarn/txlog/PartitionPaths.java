package dev.tarn.txlog;

import static java.util.Objects.requireNonNull;

import dev.tarn.txlog.internal.LogPaths;
import java.util.List;
import java.util.Map;

/**
 * Directory names for partitioned data files, as delta-spark lays them out (PROTOCOL.md "Data Files": "by
 * default ... directories that are named based on the partition values ... {@code part1=value1/part2=value2/}"):
 * Hive escaping of names and values, {@code __HIVE_DEFAULT_PARTITION__} for null. The protocol does not require
 * this layout; readers take partition values from the log.
 */
public final class PartitionPaths {
    public static final String NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__";

    private PartitionPaths() {}

    /**
     * The relative directory, ending with {@code /}, for serialized partition values (see
     * {@link PartitionValues#serialize}); empty for an unpartitioned table. Not URI-encoded: pass the file path
     * through {@link #toLogPath} before putting it in an add action.
     */
    public static String directoryFor(List<String> partitionColumns, Map<String, String> serializedValues) {
        requireNonNull(partitionColumns, "partitionColumns is null");
        requireNonNull(serializedValues, "serializedValues is null");
        StringBuilder sb = new StringBuilder();
        for (String column : partitionColumns) {
            String value = serializedValues.get(column);
            sb.append(escape(column)).append('=')
                    .append(value == null || value.isEmpty() ? NULL_PARTITION : escape(value)).append('/');
        }
        return sb.toString();
    }

    /** The URI-encoded form of a relative file path, as {@code add.path} requires. */
    public static String toLogPath(String relativePath) {
        return LogPaths.encode(relativePath);
    }

    /** Hive's path escaping: control characters, DEL and the characters " # % ' * / : = ? \\ { [ ] ^ become {@code %XX}. */
    public static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (needsEscape(c)) {
                sb.append('%').append(String.format("%02X", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static boolean needsEscape(char c) {
        return (c >= 1 && c <= 0x1F) || c == '"' || c == '#' || c == '%' || c == '\'' || c == '*' || c == '/'
                || c == ':' || c == '=' || c == '?' || c == '\\' || c == 0x7F || c == '{' || c == '[' || c == ']'
                || c == '^';
    }

    /** Reverses {@link #escape}. */
    public static String unescape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()) {
                try {
                    sb.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
                    i += 2;
                    continue;
                } catch (NumberFormatException e) {
                    // not an escape: keep the '%'
                }
            }
            sb.append(c);
        }
        return sb.toString();
    }
}

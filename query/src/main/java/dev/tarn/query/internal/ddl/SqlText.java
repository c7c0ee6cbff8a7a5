package dev.tarn.query.internal.ddl;

import static java.util.Objects.requireNonNull;

/**
 * Cheap looks at statement text before any tokenizing. Every statement passes several front ends (DDL, DML, time
 * travel, change feed) that each tokenize or regex-scan all of it; a 1,000-row literal INSERT is 30 KB, and in a cold
 * JVM those scans took about 100 ms before the statement reached its own parser. These checks let a front end say
 * "not mine" from the first word or from a keyword's absence.
 */
public final class SqlText {
    private SqlText() {}

    /** The first word (ASCII letters, digits, underscores) after leading whitespace, upper-cased; "" if none. */
    public static String firstWord(String sql) {
        requireNonNull(sql, "sql is null");
        int i = 0;
        int n = sql.length();
        while (i < n && Character.isWhitespace(sql.charAt(i))) {
            i++;
        }
        int start = i;
        while (i < n && isAsciiWordChar(sql.charAt(i))) {
            i++;
        }
        return sql.substring(start, i).toUpperCase(java.util.Locale.ROOT);
    }

    /**
     * Whether {@code text} contains {@code asciiWord} in any letter case (as a substring, not only as a word). Lower
     * casing then {@code indexOf} is JDK code the JIT compiled long before: several times faster than a char loop
     * or a case-insensitive regex while this code is still interpreted.
     */
    public static boolean containsIgnoreCase(String text, String asciiWord) {
        requireNonNull(text, "text is null");
        requireNonNull(asciiWord, "asciiWord is null");
        return text.toLowerCase(java.util.Locale.ROOT).contains(asciiWord.toLowerCase(java.util.Locale.ROOT));
    }

    private static boolean isAsciiWordChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }
}

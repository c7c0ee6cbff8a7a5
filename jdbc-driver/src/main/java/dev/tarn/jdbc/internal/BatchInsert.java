package dev.tarn.jdbc.internal;

/**
 * Turns a one-row {@code INSERT ... VALUES (?, ...)} into the same insert of n rows, so a JDBC batch becomes one
 * statement and one commit. Only the plain form qualifies: the statement starts with INSERT and ends with a single
 * parenthesized VALUES row (an optional ';' after it); anything else (INSERT ... SELECT, several rows, comments after
 * the row) returns null and the batch runs row by row.
 */
final class BatchInsert {
    private BatchInsert() {}

    static String multiRow(String sql, int rows) {
        if (rows < 1) {
            throw new IllegalArgumentException("rows must be positive, got " + rows);
        }
        String s = stripTrailing(sql);
        if (!startsWithWord(s, "INSERT")) {
            return null;
        }
        int values = topLevelValues(s);
        if (values < 0) {
            return null;
        }
        int open = values + "VALUES".length();
        while (open < s.length() && Character.isWhitespace(s.charAt(open))) {
            open++;
        }
        if (open >= s.length() || s.charAt(open) != '(') {
            return null;
        }
        int close = matchingParen(s, open);
        if (close != s.length() - 1) {
            return null;
        }
        String row = s.substring(open, close + 1);
        StringBuilder out = new StringBuilder(s.length() + (row.length() + 2) * (rows - 1));
        out.append(s, 0, close + 1);
        for (int i = 1; i < rows; i++) {
            out.append(", ").append(row);
        }
        return out.toString();
    }

    private static String stripTrailing(String sql) {
        String s = sql.strip();
        while (s.endsWith(";")) {
            s = s.substring(0, s.length() - 1).strip();
        }
        return s;
    }

    private static boolean startsWithWord(String s, String word) {
        return s.regionMatches(true, 0, word, 0, word.length())
                && (s.length() == word.length() || !Character.isLetterOrDigit(s.charAt(word.length())));
    }

    /** Where the VALUES keyword is, outside quotes, comments and parentheses; -1 when absent. */
    private static int topLevelValues(String s) {
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                i = skipQuoted(s, i, c);
                if (i < 0) {
                    return -1;
                }
            } else if (c == '-' && i + 1 < s.length() && s.charAt(i + 1) == '-' || c == '/' && i + 1 < s.length()
                    && s.charAt(i + 1) == '*') {
                return -1; // comments: not worth the risk of rewriting wrongly
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (depth == 0 && (c == 'v' || c == 'V') && (i == 0 || !isWordChar(s.charAt(i - 1)))
                    && s.regionMatches(true, i, "VALUES", 0, 6)
                    && (i + 6 == s.length() || !isWordChar(s.charAt(i + 6)))) {
                return i;
            }
        }
        return -1;
    }

    private static int matchingParen(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                i = skipQuoted(s, i, c);
                if (i < 0) {
                    return -1;
                }
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    /** The index of the closing quote (a doubled quote is an escaped one), or -1 when unterminated. */
    private static int skipQuoted(String s, int start, char quote) {
        for (int i = start + 1; i < s.length(); i++) {
            if (s.charAt(i) == quote) {
                if (i + 1 < s.length() && s.charAt(i + 1) == quote) {
                    i++;
                } else {
                    return i;
                }
            }
        }
        return -1;
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }
}

package dev.tarn.shell.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits SQL text into statements at {@code ;}, ignoring semicolons inside single-quoted strings (with {@code ''}
 * escapes), double-quoted and backtick identifiers (with doubled-quote escapes), {@code --} line comments and
 * {@code /* *}{@code /} block comments. Statements that hold only whitespace and comments are dropped. The text after
 * the last {@code ;} is the remainder: a statement still being typed.
 */
public final class StatementSplitter {
    private StatementSplitter() {}

    /** Complete statements (without their {@code ;}) and the unterminated remainder (possibly blank). */
    public record Split(List<String> statements, String remainder) {
        public Split {
            statements = List.copyOf(statements);
        }

        /** Whether the remainder holds anything but whitespace and comments. */
        public boolean hasPartialStatement() {
            return !isBlank(remainder);
        }
    }

    /** All statements of a script; a final statement without {@code ;} counts too. */
    public static List<String> splitScript(String sql) {
        Split s = split(sql);
        List<String> out = new ArrayList<>(s.statements());
        if (s.hasPartialStatement()) {
            out.add(s.remainder().strip());
        }
        return out;
    }

    public static Split split(String sql) {
        List<String> statements = new ArrayList<>();
        int start = 0;
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                i = skipQuoted(sql, i, c);
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int nl = sql.indexOf('\n', i);
                i = nl < 0 ? n : nl + 1;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (c == ';') {
                String stmt = sql.substring(start, i);
                if (!isBlank(stmt)) {
                    statements.add(stmt.strip());
                }
                i++;
                start = i;
            } else {
                i++;
            }
        }
        return new Split(statements, sql.substring(start));
    }

    /** Index just past the closing quote, or the end of the text when it is unterminated. */
    private static int skipQuoted(String sql, int open, char quote) {
        int i = open + 1;
        while (i < sql.length()) {
            if (sql.charAt(i) == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return sql.length();
    }

    /** Whether text is empty once comments and whitespace are removed (quotes count as content). */
    public static boolean isBlank(String sql) {
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int nl = sql.indexOf('\n', i);
                i = nl < 0 ? n : nl + 1;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else {
                return false;
            }
        }
        return true;
    }
}

package dev.tarn.query.internal.ddl;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a statement into tokens the way Spark SQL does for the statements the DDL front end handles: plain words,
 * backtick-quoted identifiers ({@code ``} escapes a backtick), single- or double-quoted strings (doubled quote or
 * backslash escapes), numbers and one-character symbols. {@code --} and {@code /* *}{@code /} comments are skipped.
 */
public final class Tokenizer {
    private final String sql;
    private int pos;

    private Tokenizer(String sql) {
        this.sql = sql;
    }

    public static List<Token> tokenize(String sql) {
        return new Tokenizer(sql).run();
    }

    private List<Token> run() {
        List<Token> out = new ArrayList<>();
        while (true) {
            skipWhitespaceAndComments();
            if (pos >= sql.length()) {
                out.add(new Token(Token.Kind.END, "", pos, pos));
                return out;
            }
            char c = sql.charAt(pos);
            int start = pos;
            if (Character.isLetter(c) || c == '_') {
                while (pos < sql.length() && (Character.isLetterOrDigit(sql.charAt(pos)) || sql.charAt(pos) == '_')) {
                    pos++;
                }
                out.add(new Token(Token.Kind.WORD, sql.substring(start, pos), start, pos));
            } else if (Character.isDigit(c)) {
                while (pos < sql.length() && (Character.isLetterOrDigit(sql.charAt(pos)) || sql.charAt(pos) == '.')) {
                    pos++;
                }
                out.add(new Token(Token.Kind.NUMBER, sql.substring(start, pos), start, pos));
            } else if (c == '`') {
                out.add(new Token(Token.Kind.QUOTED_IDENTIFIER, quoted('`', false), start, pos));
            } else if (c == '\'' || c == '"') {
                out.add(new Token(Token.Kind.STRING, quoted(c, true), start, pos));
            } else {
                pos++;
                out.add(new Token(Token.Kind.SYMBOL, String.valueOf(c), start, pos));
            }
        }
    }

    private String quoted(char quote, boolean backslashEscapes) {
        int start = pos;
        pos++;
        StringBuilder sb = new StringBuilder();
        while (pos < sql.length()) {
            char c = sql.charAt(pos);
            if (c == quote) {
                if (pos + 1 < sql.length() && sql.charAt(pos + 1) == quote) {
                    sb.append(quote);
                    pos += 2;
                    continue;
                }
                pos++;
                return sb.toString();
            }
            if (backslashEscapes && c == '\\' && pos + 1 < sql.length()) {
                char n = sql.charAt(pos + 1);
                sb.append(switch (n) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case 'r' -> '\r';
                    case '0' -> '\0';
                    default -> n;
                });
                pos += 2;
                continue;
            }
            sb.append(c);
            pos++;
        }
        throw DdlParser.syntaxError(sql, start, "unterminated " + (quote == '`' ? "quoted identifier" : "string literal"));
    }

    private void skipWhitespaceAndComments() {
        while (pos < sql.length()) {
            char c = sql.charAt(pos);
            if (Character.isWhitespace(c)) {
                pos++;
            } else if (c == '-' && sql.startsWith("--", pos)) {
                int nl = sql.indexOf('\n', pos);
                pos = nl < 0 ? sql.length() : nl + 1;
            } else if (c == '/' && sql.startsWith("/*", pos)) {
                int close = sql.indexOf("*/", pos + 2);
                if (close < 0) {
                    throw DdlParser.syntaxError(sql, pos, "unterminated comment");
                }
                pos = close + 2;
            } else {
                return;
            }
        }
    }
}

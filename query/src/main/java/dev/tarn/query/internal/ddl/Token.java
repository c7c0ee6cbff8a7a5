package dev.tarn.query.internal.ddl;

import static java.util.Objects.requireNonNull;

/**
 * One lexical token of a statement.
 *
 * @param kind what the token is
 * @param text identifier text without quotes, string literal value without quotes and escapes, or the symbol
 * @param start offset of the first character in the statement
 * @param end offset just past the last character
 */
public record Token(Kind kind, String text, int start, int end) {
    public enum Kind { WORD, QUOTED_IDENTIFIER, STRING, NUMBER, SYMBOL, END }

    public Token {
        requireNonNull(kind, "kind is null");
        requireNonNull(text, "text is null");
    }

    /** A plain word matching {@code keyword} ignoring case (quoted identifiers never match keywords). */
    public boolean isKeyword(String keyword) {
        return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
    }

    public boolean isSymbol(String symbol) {
        return kind == Kind.SYMBOL && text.equals(symbol);
    }

    public boolean isIdentifier() {
        return kind == Kind.WORD || kind == Kind.QUOTED_IDENTIFIER;
    }

    public String describe() {
        return switch (kind) {
            case END -> "end of statement";
            case STRING -> "'" + text + "'";
            case QUOTED_IDENTIFIER -> "`" + text + "`";
            default -> "'" + text + "'";
        };
    }
}

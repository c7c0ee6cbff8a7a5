package dev.tarn.query.internal.ddl;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.TarnException;
import java.util.List;

/**
 * A cursor over a statement's tokens with the accept/expect steps every hand-written parser of the DDL front end
 * shares; errors name the line and column in the statement.
 */
abstract class TokenParser {
    protected final String sql;
    protected final List<Token> tokens;
    protected int index;

    protected TokenParser(String sql, List<Token> tokens, int index) {
        this.sql = requireNonNull(sql, "sql is null");
        this.tokens = requireNonNull(tokens, "tokens is null");
        if (index < 0) {
            throw new IllegalArgumentException("index is negative: " + index);
        }
        this.index = index;
    }

    /** The index of the first token not consumed. */
    final int index() {
        return index;
    }

    protected final String identifier(String what) {
        Token t = next();
        if (!t.isIdentifier()) {
            throw error(t, "expected " + what + " but found " + t.describe());
        }
        if (t.text().isEmpty()) {
            throw error(t, what + " is empty");
        }
        return t.text();
    }

    protected final String string(String what) {
        Token t = next();
        if (t.kind() != Token.Kind.STRING) {
            throw error(t, "expected " + what + " as a quoted string but found " + t.describe());
        }
        return t.text();
    }

    protected final Token peek() {
        return tokens.get(index);
    }

    protected final Token next() {
        Token t = tokens.get(index);
        if (t.kind() != Token.Kind.END) {
            index++;
        }
        return t;
    }

    protected final boolean accept(String keyword) {
        if (peek().isKeyword(keyword)) {
            index++;
            return true;
        }
        return false;
    }

    protected final void expect(String keyword) {
        if (!accept(keyword)) {
            throw error(peek(), "expected " + keyword + " but found " + peek().describe());
        }
    }

    protected final boolean acceptSymbol(String symbol) {
        if (peek().isSymbol(symbol)) {
            index++;
            return true;
        }
        return false;
    }

    protected final void expectSymbol(String symbol) {
        if (!acceptSymbol(symbol)) {
            throw error(peek(), "expected '" + symbol + "' but found " + peek().describe());
        }
    }

    /**
     * The token index just past a session setting key starting at {@code at} — dotted words such as
     * {@code spark.databricks.delta.retentionDurationCheck.enabled}, matched against {@code keys} in any case — or
     * -1 when the tokens there are not one of them.
     */
    static int settingKeyEnd(List<Token> tokens, int at, List<String> keys) {
        StringBuilder name = new StringBuilder();
        int i = at;
        while (i < tokens.size() && tokens.get(i).kind() == Token.Kind.WORD) {
            name.append(tokens.get(i).text());
            i++;
            if (i < tokens.size() && tokens.get(i).isSymbol(".")) {
                name.append('.');
                i++;
            } else {
                break;
            }
        }
        String key = name.toString();
        return keys.stream().anyMatch(key::equalsIgnoreCase) ? i : -1;
    }

    /** A table property key: a quoted string, or a dotted identifier such as {@code delta.appendOnly}. */
    protected final String propertyKey() {
        Token t = next();
        if (t.kind() == Token.Kind.STRING) {
            return t.text();
        }
        if (!t.isIdentifier()) {
            throw error(t, "expected a table property key but found " + t.describe());
        }
        StringBuilder key = new StringBuilder(t.text());
        while (peek().isSymbol(".")) {
            next();
            key.append('.').append(identifier("table property key"));
        }
        return key.toString();
    }

    /** A table property value: a string, a (possibly negative) number or a word such as {@code true}. */
    protected final String propertyValue() {
        Token t = next();
        return switch (t.kind()) {
            case STRING, NUMBER, WORD -> t.text();
            default -> {
                if (t.isSymbol("-") && peek().kind() == Token.Kind.NUMBER) {
                    yield "-" + next().text();
                }
                throw error(t, "expected a table property value but found " + t.describe());
            }
        };
    }

    protected final TarnException error(Token at, String message) {
        return DdlParser.syntaxError(sql, at.start(), message);
    }
}

package dev.tarn.query.internal.dml;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.internal.ddl.SqlText;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Recognizes the row-level statements Calcite's grammar lacks or Tarn runs itself and splits them into SQL text
 * fragments (table reference, conditions, expressions) that are planned as ordinary queries:
 * <pre>
 *   DELETE FROM t [[AS] a] [WHERE cond]
 *   UPDATE t [[AS] a] SET c = expr [, ...] [WHERE cond]
 *   TRUNCATE TABLE t
 *   INSERT OVERWRITE [TABLE] t query
 *   INSERT INTO t REPLACE WHERE cond query
 * </pre>
 * Fragments are kept verbatim, so expressions keep Spark's syntax and the SQL engine reports their errors.
 */
final class DmlSyntax {
    enum Kind { DELETE, UPDATE, TRUNCATE, INSERT_OVERWRITE, REPLACE_WHERE }

    /** One {@code c = expr} of UPDATE: the column as written (last part of a qualified name) and the expression. */
    record Assignment(String column, String expression) {
        Assignment {
            requireNonNull(column, "column is null");
            requireNonNull(expression, "expression is null");
        }
    }

    /**
     * A parsed statement.
     *
     * @param table the table reference as written ({@code s.t}, {@code delta.`/path`})
     * @param alias the alias as written, if any
     * @param condition the WHERE (or REPLACE WHERE) condition text, if any
     * @param assignments UPDATE's SET list, in order
     * @param query the source query text of INSERT OVERWRITE / REPLACE WHERE
     */
    record Statement(Kind kind, String table, Optional<String> alias, Optional<String> condition,
                     List<Assignment> assignments, Optional<String> query) {
        Statement {
            requireNonNull(kind, "kind is null");
            requireNonNull(table, "table is null");
            requireNonNull(alias, "alias is null");
            requireNonNull(condition, "condition is null");
            assignments = List.copyOf(assignments);
            requireNonNull(query, "query is null");
        }

        /** How the statement's scan names the target: the alias, or the table reference. */
        String from() {
            return table + alias.map(a -> " AS " + a).orElse("");
        }

        /** The prefix for the target's hidden columns: {@code a.} with an alias, else nothing. */
        String qualifier() {
            return alias.map(a -> a + ".").orElse("");
        }
    }

    private record Tok(String text, boolean word, int start, int end) {
        boolean is(String keyword) {
            return word && text.equalsIgnoreCase(keyword);
        }

        boolean isSymbol(String s) {
            return !word && text.equals(s);
        }
    }

    private final String sql;
    private final List<Tok> toks;
    private int i;

    private DmlSyntax(String sql, List<Tok> toks) {
        this.sql = sql;
        this.toks = toks;
    }

    /** The statement {@code sql} is, or empty when it is not one of these. */
    static Optional<Statement> parse(String sql) {
        String head = sql.stripLeading();
        head = head.substring(0, Math.min(head.length(), 8)).toUpperCase(Locale.ROOT);
        if (!(head.startsWith("DELETE") || head.startsWith("UPDATE") || head.startsWith("TRUNCATE")
                || head.startsWith("INSERT"))) {
            return Optional.empty();
        }
        if (head.startsWith("INSERT") && !SqlText.containsIgnoreCase(sql, "overwrite")
                && !SqlText.containsIgnoreCase(sql, "replace")) {
            return Optional.empty(); // a plain INSERT INTO, which is not DML here: no need to lex all of it
        }
        DmlSyntax p = new DmlSyntax(sql, lex(sql));
        return p.statement();
    }

    private Optional<Statement> statement() {
        if (accept("DELETE")) {
            expect("FROM");
            String table = tableRef();
            Optional<String> alias = alias();
            Optional<String> cond = Optional.empty();
            if (accept("WHERE")) {
                cond = Optional.of(rest());
            }
            end();
            return Optional.of(new Statement(Kind.DELETE, table, alias, cond, List.of(), Optional.empty()));
        }
        if (accept("UPDATE")) {
            String table = tableRef();
            Optional<String> alias = alias();
            expect("SET");
            List<Assignment> set = new ArrayList<>();
            do {
                String column = columnName();
                if (!peek().isSymbol("=")) {
                    throw error("expected = after column " + column + " in UPDATE ... SET");
                }
                i++;
                int start = peek().start();
                int stop = scanUntilTopLevel(t -> t.isSymbol(",") || t.is("WHERE"));
                if (stop == start) {
                    throw error("expected an expression for column " + column);
                }
                set.add(new Assignment(column, sql.substring(start, stop).trim()));
            } while (acceptSymbol(","));
            Optional<String> cond = Optional.empty();
            if (accept("WHERE")) {
                cond = Optional.of(rest());
            }
            end();
            return Optional.of(new Statement(Kind.UPDATE, table, alias, cond, set, Optional.empty()));
        }
        if (accept("TRUNCATE")) {
            expect("TABLE");
            String table = tableRef();
            if (peek().is("PARTITION")) {
                throw new TarnException(ErrorCode.UNSUPPORTED_STATEMENT,
                        "TRUNCATE TABLE ... PARTITION is not supported; use DELETE FROM ... WHERE on the partition columns");
            }
            end();
            return Optional.of(new Statement(Kind.TRUNCATE, table, Optional.empty(), Optional.empty(), List.of(),
                    Optional.empty()));
        }
        if (accept("INSERT")) {
            if (accept("OVERWRITE")) {
                accept("TABLE");
                String table = tableRef();
                if (peek().is("PARTITION")) {
                    throw new TarnException(ErrorCode.UNSUPPORTED_STATEMENT, "INSERT OVERWRITE ... PARTITION is not "
                            + "supported; use INSERT INTO ... REPLACE WHERE <partition predicate>");
                }
                return Optional.of(new Statement(Kind.INSERT_OVERWRITE, table, Optional.empty(), Optional.empty(),
                        List.of(), Optional.of(rest())));
            }
            if (!accept("INTO")) {
                return Optional.empty();
            }
            accept("TABLE");
            String table = tableRef();
            if (!(peek().is("REPLACE") && i + 1 < toks.size() && toks.get(i + 1).is("WHERE"))) {
                return Optional.empty();
            }
            i += 2;
            int start = peek().start();
            int stop = scanUntilTopLevel(t -> t.is("SELECT") || t.is("VALUES") || t.is("WITH") || t.is("TABLE")
                    || t.is("FROM") || t.isSymbol("("));
            if (stop == start) {
                throw error("expected a condition after REPLACE WHERE");
            }
            if (i >= toks.size()) {
                throw error("expected a query (SELECT, VALUES, TABLE) after the REPLACE WHERE condition");
            }
            String cond = sql.substring(start, stop).trim();
            return Optional.of(new Statement(Kind.REPLACE_WHERE, table, Optional.empty(), Optional.of(cond),
                    List.of(), Optional.of(rest())));
        }
        return Optional.empty();
    }

    private String tableRef() {
        int start = peek().start();
        Tok t = next("a table name");
        if (!isName(t)) {
            throw error("expected a table name but found '" + t.text() + "'");
        }
        int end = t.end();
        while (peek().isSymbol(".")) {
            i++;
            Tok part = next("a table name");
            if (!isName(part)) {
                throw error("expected a table name but found '" + part.text() + "'");
            }
            end = part.end();
        }
        return sql.substring(start, end);
    }

    private Optional<String> alias() {
        if (accept("AS")) {
            Tok t = next("an alias");
            if (!isName(t)) {
                throw error("expected an alias but found '" + t.text() + "'");
            }
            return Optional.of(t.text());
        }
        Tok t = peek();
        if (t.word() && !t.is("WHERE") && !t.is("SET")) {
            i++;
            return Optional.of(t.text());
        }
        return Optional.empty();
    }

    /** A column of SET: {@code c}, {@code a.c} or a back-quoted name; returns the last part, unquoted. */
    private String columnName() {
        Tok t = next("a column name");
        if (!isName(t)) {
            throw error("expected a column name but found '" + t.text() + "'");
        }
        String name = t.text();
        while (peek().isSymbol(".")) {
            i++;
            name = next("a column name").text();
        }
        return unquote(name);
    }

    static String unquote(String name) {
        if (name.length() >= 2 && name.startsWith("`") && name.endsWith("`")) {
            return name.substring(1, name.length() - 1).replace("``", "`");
        }
        return name;
    }

    private static boolean isName(Tok t) {
        return t.word() || t.text().startsWith("`");
    }

    /** Advances past tokens until one at parenthesis depth 0 satisfies {@code stop}; returns its start offset. */
    private int scanUntilTopLevel(java.util.function.Predicate<Tok> stop) {
        int depth = 0;
        while (i < toks.size()) {
            Tok t = toks.get(i);
            if (depth == 0 && stop.test(t)) {
                return t.start();
            }
            if (t.isSymbol("(")) {
                depth++;
            } else if (t.isSymbol(")")) {
                depth--;
            }
            i++;
        }
        return trimmedEnd();
    }

    /** The rest of the statement (without a trailing semicolon); consumes everything. */
    private String rest() {
        int start = peek().start();
        i = toks.size();
        return sql.substring(Math.min(start, trimmedEnd()), trimmedEnd()).trim();
    }

    private int trimmedEnd() {
        String s = sql.stripTrailing();
        if (s.endsWith(";")) {
            s = s.substring(0, s.length() - 1).stripTrailing();
        }
        return s.length();
    }

    private void end() {
        acceptSymbol(";");
        if (i < toks.size()) {
            throw error("unexpected '" + toks.get(i).text() + "' after the end of the statement");
        }
    }

    private Tok peek() {
        return i < toks.size() ? toks.get(i) : new Tok("", false, trimmedEnd(), trimmedEnd());
    }

    private Tok next(String what) {
        if (i >= toks.size()) {
            throw error("expected " + what + " but the statement ended");
        }
        return toks.get(i++);
    }

    private boolean accept(String keyword) {
        if (peek().is(keyword)) {
            i++;
            return true;
        }
        return false;
    }

    private boolean acceptSymbol(String s) {
        if (peek().isSymbol(s)) {
            i++;
            return true;
        }
        return false;
    }

    private void expect(String keyword) {
        if (!accept(keyword)) {
            throw error("expected " + keyword + " but found '" + peek().text() + "'");
        }
    }

    private TarnException error(String message) {
        return new TarnException(ErrorCode.SYNTAX_ERROR, message + " (at character " + (peek().start() + 1)
                + " of: " + sql.strip() + ")");
    }

    /** Words, quoted strings and identifiers, numbers, and single-character symbols; comments skipped. */
    private static List<Tok> lex(String sql) {
        List<Tok> out = new ArrayList<>();
        int n = sql.length();
        int p = 0;
        while (p < n) {
            char c = sql.charAt(p);
            if (Character.isWhitespace(c)) {
                p++;
            } else if (c == '-' && p + 1 < n && sql.charAt(p + 1) == '-') {
                while (p < n && sql.charAt(p) != '\n') {
                    p++;
                }
            } else if (c == '/' && p + 1 < n && sql.charAt(p + 1) == '*') {
                int close = sql.indexOf("*/", p + 2);
                p = close < 0 ? n : close + 2;
            } else if (c == '\'' || c == '"' || c == '`') {
                int q = p + 1;
                while (q < n) {
                    if (sql.charAt(q) == c) {
                        if (q + 1 < n && sql.charAt(q + 1) == c) {
                            q += 2;
                            continue;
                        }
                        break;
                    }
                    if (sql.charAt(q) == '\\' && c != '`') {
                        q++;
                    }
                    q++;
                }
                int end = Math.min(q + 1, n);
                out.add(new Tok(sql.substring(p, end), false, p, end));
                p = end;
            } else if (Character.isLetterOrDigit(c) || c == '_' || c == '$') {
                int q = p;
                while (q < n && (Character.isLetterOrDigit(sql.charAt(q)) || sql.charAt(q) == '_'
                        || sql.charAt(q) == '$')) {
                    q++;
                }
                out.add(new Tok(sql.substring(p, q), true, p, q));
                p = q;
            } else {
                out.add(new Tok(String.valueOf(c), false, p, p + 1));
                p++;
            }
        }
        return out;
    }
}

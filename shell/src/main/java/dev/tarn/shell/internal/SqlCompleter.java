package dev.tarn.shell.internal;

import static java.util.Objects.requireNonNull;

import dev.tarn.query.CatalogView;
import dev.tarn.query.Session;
import dev.tarn.query.TableInfo;
import dev.tarn.txlog.types.StructField;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Tab completion for the shell: meta commands at the start of a line, else SQL keywords and the schema, table and
 * column names of the lake. Names are read from the session's {@link CatalogView} on the first completion after a
 * statement ran (statements may create or drop tables), never at start-up.
 */
final class SqlCompleter implements Completer {
    static final List<String> KEYWORDS = List.of("SELECT", "FROM", "WHERE", "GROUP BY", "ORDER BY", "HAVING", "LIMIT",
            "OFFSET", "JOIN", "LEFT JOIN", "INNER JOIN", "ON", "AS", "AND", "OR", "NOT", "NULL", "IS", "IN", "LIKE",
            "BETWEEN", "CASE", "WHEN", "THEN", "ELSE", "END", "DISTINCT", "UNION", "ALL", "WITH", "INSERT INTO",
            "VALUES", "UPDATE", "SET", "DELETE FROM", "MERGE INTO", "CREATE TABLE", "CREATE SCHEMA", "DROP TABLE",
            "DROP SCHEMA", "DESCRIBE HISTORY", "DESCRIBE DETAIL", "EXPLAIN", "CAST", "COUNT", "SUM", "AVG", "MIN",
            "MAX", "COALESCE", "TRUE", "FALSE", "ASC", "DESC", "USING DELTA", "PARTITIONED BY", "COMMENT");
    static final List<String> COMMANDS = List.of(".analyze", ".bail", ".describe", ".explain", ".help", ".history",
            ".maxrows",
            ".mode", ".output", ".quit", ".read", ".schema", ".tables", ".timer", "\\d", "\\x");

    private final Session session;
    private volatile List<String> names;

    SqlCompleter(Session session) {
        this.session = requireNonNull(session, "session is null");
    }

    /** Forgets the loaded names; the next completion reads them again. */
    void invalidate() {
        names = null;
    }

    /** Schema names, the current schema's table names, {@code schema.table} names and every column name. */
    List<String> names() {
        List<String> n = names;
        if (n == null) {
            TreeSet<String> set = new TreeSet<>();
            CatalogView catalog = session.catalog();
            String current = session.currentSchema();
            for (String schema : catalog.schemas()) {
                set.add(schema);
                for (TableInfo t : catalog.tables(schema)) {
                    set.add(schema + "." + t.name());
                    if (schema.equalsIgnoreCase(current)) {
                        set.add(t.name());
                        for (StructField f : t.columns().fields()) {
                            set.add(f.name());
                        }
                    }
                }
            }
            n = List.copyOf(set);
            names = n;
        }
        return n;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        String word = line.word().substring(0, line.wordCursor());
        if (line.wordIndex() == 0 && (word.startsWith(".") || word.startsWith("\\"))) {
            for (String c : COMMANDS) {
                candidates.add(new Candidate(c, c, "commands", null, null, null, true));
            }
            return;
        }
        boolean lower = !word.isEmpty() && Character.isLowerCase(word.charAt(0));
        List<Candidate> out = new ArrayList<>();
        for (String k : KEYWORDS) {
            String text = lower ? k.toLowerCase(Locale.ROOT) : k;
            out.add(new Candidate(text, text, "keywords", null, null, null, !k.contains(" ")));
        }
        for (String n : names()) {
            out.add(new Candidate(n, n, "names", null, null, null, true));
        }
        candidates.addAll(out);
    }
}

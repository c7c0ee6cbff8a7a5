package dev.tarn.query.internal.ddl;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.internal.catalog.TimeTravel;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.List;

/**
 * Spark's time-travel clauses, which Calcite's grammar lacks, rewritten before parsing into a table name with
 * Delta's version suffix: {@code FROM t VERSION AS OF 3} becomes {@code FROM `t@v3`} and {@code FROM s.t TIMESTAMP
 * AS OF '2024-01-01 00:00:00'} becomes {@code FROM s.`t@20240101000000000`} (the instant in UTC), which the catalog
 * resolves to a handle pinned at that snapshot (see {@link TimeTravel}). {@code FOR SYSTEM_VERSION AS OF} and
 * {@code FOR SYSTEM_TIME AS OF} are accepted as synonyms. A zone-less timestamp is read in the session time zone.
 * Everything else in the statement is left exactly as written; positions in later error messages may shift by the
 * length of the removed clause.
 */
public final class TimeTravelSyntax {
    /** Built on the first time-travel clause: every statement passes through this class, few have one. */
    private static final class Local {
        static final DateTimeFormatter FORMAT = new DateTimeFormatterBuilder()
                .parseCaseInsensitive()
                .append(DateTimeFormatter.ISO_LOCAL_DATE)
                .optionalStart().appendLiteral('T').optionalEnd()
                .optionalStart().appendLiteral(' ').optionalEnd()
                .appendValue(ChronoField.HOUR_OF_DAY, 2).appendLiteral(':')
                .appendValue(ChronoField.MINUTE_OF_HOUR, 2)
                .optionalStart().appendLiteral(':').appendValue(ChronoField.SECOND_OF_MINUTE, 2)
                .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
                .optionalEnd()
                .toFormatter();

        private Local() {}
    }

    private static final java.util.regex.Pattern AS_OF = java.util.regex.Pattern.compile("(?i)\\bAS\\s+OF\\b");

    private TimeTravelSyntax() {}

    /** The statement with every time-travel clause folded into its table name; {@code sql} itself when it has none. */
    public static String rewrite(String sql, ZoneId sessionZone) {
        requireNonNull(sql, "sql is null");
        requireNonNull(sessionZone, "sessionZone is null");
        if (!mayHaveClause(sql)) {
            return sql;
        }
        List<Token> tokens;
        try {
            tokens = Tokenizer.tokenize(sql);
        } catch (TarnException e) {
            return sql; // the SQL engine reports lexical errors itself
        }
        StringBuilder out = new StringBuilder(sql.length());
        int copied = 0;
        for (int i = 1; i < tokens.size(); i++) {
            int clause = clauseStart(tokens, i);
            if (clause < 0) {
                continue;
            }
            Token name = tokens.get(i - 1);
            if (!name.isIdentifier() || !startsTableReference(tokens, i - 1)) {
                continue;
            }
            boolean version = tokens.get(i).isKeyword("VERSION") || tokens.get(i + 1).isKeyword("SYSTEM_VERSION");
            int valueIndex = clause + 2; // after AS OF
            Token value = tokens.get(valueIndex);
            if (!version && (value.isKeyword("TIMESTAMP") || value.isKeyword("DATE"))
                    && tokens.get(valueIndex + 1).kind() == Token.Kind.STRING) {
                valueIndex++;
                value = tokens.get(valueIndex);
            }
            TimeTravel timeTravel = version ? version(sql, value) : timestamp(sql, value, sessionZone);
            out.append(sql, copied, name.start()).append(quote(name.text() + timeTravel.suffix()));
            if (!hasAlias(tokens.get(valueIndex + 1))) {
                // Keep the table's own name as its alias, so t.col still resolves.
                out.append(" AS ").append(quote(name.text()));
            }
            copied = value.end();
            i = valueIndex;
        }
        if (copied == 0) {
            return sql;
        }
        return out.append(sql, copied, sql.length()).toString();
    }

    /** Cheap pre-check so ordinary statements are not tokenized twice. */
    private static boolean mayHaveClause(String sql) {
        // The plain scan first: the regex's word boundaries are slow over long statements in a cold JVM.
        return SqlText.containsIgnoreCase(sql, "of") && AS_OF.matcher(sql).find();
    }

    /**
     * Index of AS when tokens at {@code i} begin {@code VERSION|TIMESTAMP AS OF} or {@code FOR SYSTEM_VERSION|SYSTEM_TIME
     * AS OF}; -1 otherwise.
     */
    private static int clauseStart(List<Token> tokens, int i) {
        Token t = tokens.get(i);
        int as;
        if (t.isKeyword("VERSION") || t.isKeyword("TIMESTAMP")) {
            as = i + 1;
        } else if (t.isKeyword("FOR") && i + 1 < tokens.size()
                && (tokens.get(i + 1).isKeyword("SYSTEM_VERSION") || tokens.get(i + 1).isKeyword("SYSTEM_TIME"))) {
            as = i + 2;
        } else {
            return -1;
        }
        if (as + 2 < tokens.size() && tokens.get(as).isKeyword("AS") && tokens.get(as + 1).isKeyword("OF")) {
            return as;
        }
        return -1;
    }

    /** Whether the dotted name ending at {@code last} follows FROM, JOIN or a comma of a FROM list. */
    static boolean startsTableReference(List<Token> tokens, int last) {
        int first = last;
        while (first >= 2 && tokens.get(first - 1).isSymbol(".") && tokens.get(first - 2).isIdentifier()) {
            first -= 2;
        }
        if (first == 0) {
            return false;
        }
        Token before = tokens.get(first - 1);
        return before.isKeyword("FROM") || before.isKeyword("JOIN") || before.isSymbol(",");
    }

    /** Words that end a table reference; any other identifier after it is an alias. */
    private static final java.util.Set<String> AFTER_TABLE = java.util.Set.of("WHERE", "ON", "USING", "JOIN", "INNER",
            "LEFT", "RIGHT", "FULL", "CROSS", "NATURAL", "GROUP", "ORDER", "HAVING", "LIMIT", "OFFSET", "FETCH",
            "UNION", "EXCEPT", "INTERSECT", "MINUS", "WINDOW", "QUALIFY", "TABLESAMPLE", "LATERAL", "APPLY", "OUTER",
            "SEMI", "ANTI", "PIVOT", "UNPIVOT", "MATCH_RECOGNIZE");

    static boolean hasAlias(Token next) {
        if (next.isKeyword("AS") || next.kind() == Token.Kind.QUOTED_IDENTIFIER) {
            return true;
        }
        return next.kind() == Token.Kind.WORD && !AFTER_TABLE.contains(next.text().toUpperCase(java.util.Locale.ROOT));
    }

    private static TimeTravel version(String sql, Token value) {
        String text = value.text().strip();
        if ((value.kind() == Token.Kind.NUMBER || value.kind() == Token.Kind.STRING) && text.matches("\\d{1,18}")) {
            return new TimeTravel.Version(Long.parseLong(text));
        }
        throw DdlParser.syntaxError(sql, value.start(), "VERSION AS OF takes a non-negative integer version, not "
                + value.describe());
    }

    private static TimeTravel timestamp(String sql, Token value, ZoneId zone) {
        if (value.kind() != Token.Kind.STRING) {
            throw DdlParser.syntaxError(sql, value.start(), "TIMESTAMP AS OF takes a timestamp literal such as "
                    + "'2024-01-01 00:00:00', not " + value.describe());
        }
        try {
            return new TimeTravel.Timestamp(parseInstant(value.text().strip(), zone).toEpochMilli());
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new TarnException(ErrorCode.VALIDATION_ERROR, "Syntax error at " + DdlParser.positionOf(sql,
                    value.start()) + ": '" + value.text() + "' is not a timestamp (expected e.g. '2024-01-01 00:00:00',"
                    + " '2024-01-01' or '2024-01-01T00:00:00Z')", e);
        }
    }

    /** A timestamp string: with an offset or zone it is absolute, without one it is in the session time zone. */
    static Instant parseInstant(String text, ZoneId zone) {
        if (text.matches("\\d{4}-\\d{2}-\\d{2}")) {
            return LocalDate.parse(text).atStartOfDay(zone).toInstant();
        }
        try {
            return LocalDateTime.parse(text, Local.FORMAT).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(text.replace(' ', 'T')).toInstant();
            } catch (DateTimeParseException e2) {
                return ZonedDateTime.parse(text.replace(' ', 'T')).toInstant();
            }
        }
    }

    static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }
}

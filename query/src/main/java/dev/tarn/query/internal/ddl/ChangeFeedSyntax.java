package dev.tarn.query.internal.ddl;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.internal.catalog.ChangeRange;
import dev.tarn.query.internal.catalog.TimeTravel;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Spark's change-data-feed table functions, rewritten before parsing (as {@link TimeTravelSyntax} does for time
 * travel) into a table name the catalog resolves to the feed: {@code FROM table_changes('s.t', 2, 5)} becomes
 * {@code FROM `s`.`t@changes:v2:v5` AS `t`} and {@code FROM table_changes_by_path('/data/t', '2024-01-01')} becomes
 * {@code FROM delta.`/data/t@changes:20240101000000000` AS `t`} (see {@link ChangeRange}), so the SQL engine needs no
 * table-function support. Bounds are versions (integers) or timestamps (strings; zone-less ones in the session time
 * zone), both of one kind; the end is optional.
 */
public final class ChangeFeedSyntax {
    private static final Pattern CALL = Pattern.compile("(?i)\\btable_changes(?:_by_path)?\\s*\\(");

    private ChangeFeedSyntax() {}

    /** The statement with every change-feed call replaced by its table name; {@code sql} itself when it has none. */
    public static String rewrite(String sql, ZoneId sessionZone) {
        requireNonNull(sql, "sql is null");
        requireNonNull(sessionZone, "sessionZone is null");
        if (!SqlText.containsIgnoreCase(sql, "table_changes") || !CALL.matcher(sql).find()) {
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
        for (int i = 1; i + 1 < tokens.size(); i++) {
            Token function = tokens.get(i);
            boolean byName = function.isKeyword("table_changes");
            boolean byPath = function.isKeyword("table_changes_by_path");
            if (!(byName || byPath) || !tokens.get(i + 1).isSymbol("(")
                    || !TimeTravelSyntax.startsTableReference(tokens, i)) {
                continue;
            }
            List<Token> args = new ArrayList<>();
            int j = i + 2;
            while (true) {
                Token t = tokens.get(j);
                if (t.kind() == Token.Kind.END) {
                    throw DdlParser.syntaxError(sql, t.start(), function.text() + "( is not closed");
                }
                args.add(t);
                Token next = tokens.get(j + 1);
                if (next.isSymbol(")")) {
                    j += 2;
                    break;
                }
                if (!next.isSymbol(",")) {
                    throw DdlParser.syntaxError(sql, next.start(), function.text() + " takes literal arguments: "
                            + usage(byPath));
                }
                j += 2;
            }
            if (args.size() < 2 || args.size() > 3 || args.get(0).kind() != Token.Kind.STRING) {
                throw DdlParser.syntaxError(sql, function.start(), "Wrong arguments for " + function.text() + "; "
                        + usage(byPath));
            }
            TimeTravel start = bound(sql, args.get(1), sessionZone);
            Optional<TimeTravel> end = args.size() == 3 ? Optional.of(bound(sql, args.get(2), sessionZone))
                    : Optional.empty();
            if (end.isPresent() && end.get().getClass() != start.getClass()) {
                throw DdlParser.syntaxError(sql, args.get(2).start(), function.text() + " bounds must both be "
                        + "versions or both be timestamps");
            }
            ChangeRange range = new ChangeRange(start, end);
            String target = args.get(0).text().strip();
            String replacement;
            String alias;
            if (byPath) {
                replacement = "delta." + TimeTravelSyntax.quote(target + range.suffix());
                String trimmed = target.replaceAll("/+$", "");
                alias = trimmed.substring(trimmed.lastIndexOf('/') + 1);
            } else {
                int dot = target.lastIndexOf('.');
                String table = target.substring(dot + 1);
                replacement = (dot < 0 ? "" : TimeTravelSyntax.quote(target.substring(0, dot)) + ".")
                        + TimeTravelSyntax.quote(table + range.suffix());
                alias = table;
            }
            out.append(sql, copied, function.start()).append(replacement);
            if (!TimeTravelSyntax.hasAlias(tokens.get(j)) && !alias.isEmpty()) {
                out.append(" AS ").append(TimeTravelSyntax.quote(alias));
            }
            copied = tokens.get(j - 1).end();
            i = j - 1;
        }
        if (copied == 0) {
            return sql;
        }
        return out.append(sql, copied, sql.length()).toString();
    }

    private static String usage(boolean byPath) {
        return (byPath ? "table_changes_by_path('/path/to/table'" : "table_changes('table'")
                + ", start [, end]) with versions (integers) or timestamps (strings)";
    }

    private static TimeTravel bound(String sql, Token value, ZoneId zone) {
        String text = value.text().strip();
        if ((value.kind() == Token.Kind.NUMBER || value.kind() == Token.Kind.STRING) && text.matches("\\d{1,18}")) {
            return new TimeTravel.Version(Long.parseLong(text));
        }
        if (value.kind() != Token.Kind.STRING) {
            throw DdlParser.syntaxError(sql, value.start(), "A change data bound is a version (non-negative integer)"
                    + " or a timestamp string, not " + value.describe());
        }
        try {
            return new TimeTravel.Timestamp(TimeTravelSyntax.parseInstant(text, zone).toEpochMilli());
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new TarnException(ErrorCode.VALIDATION_ERROR, "Syntax error at " + DdlParser.positionOf(sql,
                    value.start()) + ": '" + value.text() + "' is not a version or a timestamp (expected e.g. 3, "
                    + "'2024-01-01 00:00:00' or '2024-01-01T00:00:00Z')", e);
        }
    }
}

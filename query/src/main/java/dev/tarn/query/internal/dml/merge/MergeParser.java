package dev.tarn.query.internal.dml.merge;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.internal.ddl.DdlParser;
import dev.tarn.query.internal.ddl.TableName;
import dev.tarn.query.internal.ddl.Token;
import dev.tarn.query.internal.ddl.Tokenizer;
import dev.tarn.query.internal.dml.merge.MergeSpec.Action;
import dev.tarn.query.internal.dml.merge.MergeSpec.Assignment;
import dev.tarn.query.internal.dml.merge.MergeSpec.Clause;
import dev.tarn.query.internal.dml.merge.MergeSpec.Match;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Parses the skeleton of Spark's MERGE statement:
 * <pre>
 * MERGE [WITH SCHEMA EVOLUTION] INTO target [[AS] a] USING source [[AS] b [(c, ...)]] ON condition
 *   { WHEN MATCHED [AND c] THEN { UPDATE SET col = e, ... | UPDATE SET * | DELETE }
 *   | WHEN NOT MATCHED [BY TARGET] [AND c] THEN { INSERT (col, ...) VALUES (e, ...) | INSERT * }
 *   | WHEN NOT MATCHED BY SOURCE [AND c] THEN { UPDATE SET col = e, ... | DELETE } } ...
 * </pre>
 * Calcite's {@code SqlMerge} has one clause of each kind and no BY SOURCE, so the clauses are split here and every
 * expression, the source and the condition are kept as text for Calcite to parse in the query the planner builds.
 * Expressions end at a comma, {@code THEN} or the next {@code WHEN} outside parentheses and CASE expressions.
 */
final class MergeParser {
    private final String sql;
    private final List<Token> tokens;
    private int index;

    private MergeParser(String sql, List<Token> tokens) {
        this.sql = sql;
        this.tokens = tokens;
    }

    /** Whether the statement is a MERGE (its first word). */
    static boolean isMerge(String sql) {
        int i = 0;
        while (i < sql.length() && Character.isWhitespace(sql.charAt(i))) {
            i++;
        }
        if (!sql.regionMatches(true, i, "MERGE", 0, 5)) {
            return false;
        }
        try {
            List<Token> tokens = Tokenizer.tokenize(sql);
            return tokens.get(0).isKeyword("MERGE");
        } catch (TarnException e) {
            return true; // starts with MERGE: the parser reports the lexical error
        }
    }

    static MergeSpec parse(String sql) {
        MergeParser p = new MergeParser(sql, Tokenizer.tokenize(sql));
        for (Token t : p.tokens) {
            if (t.isSymbol("?")) {
                throw new TarnException(ErrorCode.UNSUPPORTED_STATEMENT, "MERGE does not take parameters (? at "
                        + DdlParser.positionOf(sql, t.start()) + "); write the values into the statement");
            }
        }
        return p.merge();
    }

    private MergeSpec merge() {
        expectKeyword("MERGE");
        boolean evolution = false;
        if (acceptKeyword("WITH")) {
            expectKeyword("SCHEMA");
            expectKeyword("EVOLUTION");
            evolution = true;
        }
        expectKeyword("INTO");
        TableName target = tableName();
        Optional<String> targetAlias = alias("USING");
        expectKeyword("USING");
        int sourceStart = peek().start();
        boolean sourceIsTable;
        if (peek().isSymbol("(")) {
            skipParenthesized();
            sourceIsTable = false;
        } else {
            tableName();
            sourceIsTable = true;
        }
        MergeSpec.Text source = new MergeSpec.Text(sql.substring(sourceStart, previous().end()), sourceStart);
        Optional<String> sourceAlias = alias("ON");
        List<String> columnAliases = new ArrayList<>();
        if (sourceAlias.isPresent() && peek().isSymbol("(")) {
            next();
            do {
                columnAliases.add(identifier("a column alias"));
            } while (acceptSymbol(","));
            expectSymbol(")");
        }
        expectKeyword("ON");
        MergeSpec.Text condition = expression(this::endsClause, "the ON condition");
        List<Clause> clauses = new ArrayList<>();
        while (peek().isKeyword("WHEN")) {
            clauses.add(clause());
        }
        acceptSymbol(";");
        if (peek().kind() != Token.Kind.END) {
            throw error(peek(), clauses.isEmpty() ? "expected WHEN [NOT] MATCHED after the ON condition"
                    : "expected WHEN or the end of the statement, found " + peek().describe());
        }
        if (clauses.isEmpty()) {
            throw error(peek(), "MERGE needs at least one WHEN [NOT] MATCHED clause");
        }
        checkConditions(clauses);
        return new MergeSpec(evolution, target, targetAlias, source, sourceIsTable, sourceAlias, columnAliases,
                condition, clauses);
    }

    /** As Spark: of several clauses of one kind, only the last may omit its condition (later ones could never apply). */
    private void checkConditions(List<Clause> clauses) {
        Map<Match, Clause> unconditional = new EnumMap<>(Match.class);
        for (Clause c : clauses) {
            Clause earlier = unconditional.get(c.match());
            if (earlier != null) {
                throw new TarnException(ErrorCode.VALIDATION_ERROR, "When there is more than one " + earlier.match().sql()
                        + " clause in a MERGE statement, only the last one can omit the condition (the clause at "
                        + DdlParser.positionOf(sql, earlier.offset()) + " has none)");
            }
            if (c.condition().isEmpty()) {
                unconditional.put(c.match(), c);
            }
        }
    }

    private Clause clause() {
        Token when = expectKeyword("WHEN");
        Match match;
        if (acceptKeyword("MATCHED")) {
            match = Match.MATCHED;
        } else {
            expectKeyword("NOT");
            expectKeyword("MATCHED");
            match = Match.NOT_MATCHED;
            if (acceptKeyword("BY")) {
                if (acceptKeyword("SOURCE")) {
                    match = Match.NOT_MATCHED_BY_SOURCE;
                } else {
                    expectKeyword("TARGET");
                }
            }
        }
        Optional<MergeSpec.Text> condition = Optional.empty();
        if (acceptKeyword("AND")) {
            condition = Optional.of(expression(i -> tokens.get(i).isKeyword("THEN"), "the clause condition"));
        }
        expectKeyword("THEN");
        Token verb = peek();
        Action action;
        if (acceptKeyword("DELETE")) {
            action = new MergeSpec.Delete();
        } else if (acceptKeyword("UPDATE")) {
            expectKeyword("SET");
            if (acceptSymbol("*")) {
                action = new MergeSpec.UpdateStar();
            } else {
                List<Assignment> assignments = new ArrayList<>();
                do {
                    int offset = peek().start();
                    List<String> column = new ArrayList<>();
                    do {
                        column.add(identifier("a column name"));
                    } while (acceptSymbol("."));
                    expectSymbol("=");
                    assignments.add(new Assignment(column,
                            expression(i -> tokens.get(i).isSymbol(",") || endsClause(i), "the assigned value"), offset));
                } while (acceptSymbol(","));
                action = new MergeSpec.Update(assignments);
            }
        } else if (acceptKeyword("INSERT")) {
            if (acceptSymbol("*")) {
                action = new MergeSpec.InsertStar();
            } else {
                expectSymbol("(");
                List<String> columns = new ArrayList<>();
                do {
                    columns.add(identifier("a column name"));
                } while (acceptSymbol(","));
                expectSymbol(")");
                expectKeyword("VALUES");
                expectSymbol("(");
                List<MergeSpec.Text> values = new ArrayList<>();
                do {
                    values.add(expression(i -> tokens.get(i).isSymbol(","), "an inserted value"));
                } while (acceptSymbol(","));
                expectSymbol(")");
                if (columns.size() != values.size()) {
                    throw error(verb, "INSERT names " + columns.size() + " columns but gives " + values.size()
                            + " values");
                }
                action = new MergeSpec.Insert(columns, values);
            }
        } else {
            throw error(verb, "expected " + (match == Match.NOT_MATCHED ? "INSERT" : "UPDATE or DELETE") + " after THEN, found "
                    + verb.describe());
        }
        boolean allowed = match == Match.NOT_MATCHED
                ? action instanceof MergeSpec.Insert || action instanceof MergeSpec.InsertStar
                : !(action instanceof MergeSpec.Insert || action instanceof MergeSpec.InsertStar)
                        && !(match == Match.NOT_MATCHED_BY_SOURCE && action instanceof MergeSpec.UpdateStar);
        if (!allowed) {
            throw error(verb, match.sql() + " cannot " + sql.substring(verb.start(), previous().end())
                    + (match == Match.NOT_MATCHED ? ": a row without a target row can only be inserted"
                    : match == Match.MATCHED ? ": a matched row can only be updated or deleted"
                    : ": a target row without a source row can only be updated (not with *) or deleted"));
        }
        return new Clause(match, condition, action, when.start());
    }

    /** The start of the next clause or the end of the statement. */
    private boolean endsClause(int i) {
        Token t = tokens.get(i);
        if (t.kind() == Token.Kind.END || t.isSymbol(";")) {
            return true;
        }
        if (!t.isKeyword("WHEN")) {
            return false;
        }
        Token n = tokens.get(Math.min(i + 1, tokens.size() - 1));
        return n.isKeyword("MATCHED") || n.isKeyword("NOT");
    }

    /**
     * The text of an expression starting at the current token and ending before the first token outside
     * parentheses and CASE ... END for which {@code end} holds.
     */
    private MergeSpec.Text expression(java.util.function.IntPredicate end, String what) {
        int start = index;
        int depth = 0;
        int cases = 0;
        while (true) {
            Token t = peek();
            if (t.kind() == Token.Kind.END) {
                break;
            }
            if (depth == 0 && cases == 0 && end.test(index)) {
                break;
            }
            if (t.isSymbol("(")) {
                depth++;
            } else if (t.isSymbol(")")) {
                if (depth == 0) {
                    break;
                }
                depth--;
            } else if (t.isKeyword("CASE")) {
                cases++;
            } else if (t.isKeyword("END") && cases > 0) {
                cases--;
            }
            index++;
        }
        if (index == start) {
            throw error(peek(), "expected " + what + ", found " + peek().describe());
        }
        int from = tokens.get(start).start();
        return new MergeSpec.Text(sql.substring(from, tokens.get(index - 1).end()), from);
    }

    private void skipParenthesized() {
        Token open = expectSymbol("(");
        int depth = 1;
        while (depth > 0) {
            Token t = next();
            if (t.kind() == Token.Kind.END) {
                throw error(open, "unbalanced parenthesis");
            }
            if (t.isSymbol("(")) {
                depth++;
            } else if (t.isSymbol(")")) {
                depth--;
            }
        }
    }

    /** {@code t}, {@code s.t} or {@code delta.`/path`}. */
    private TableName tableName() {
        Token first = peek();
        List<String> parts = new ArrayList<>();
        do {
            parts.add(identifier("a table name"));
        } while (acceptSymbol("."));
        if (parts.size() == 1) {
            return TableName.of(null, parts.get(0));
        }
        if (parts.size() == 2) {
            return parts.get(0).equalsIgnoreCase("delta") ? TableName.ofPath(parts.get(1))
                    : TableName.of(parts.get(0), parts.get(1));
        }
        throw error(first, "a table name has at most two parts (schema.table), found " + String.join(".", parts));
    }

    /** {@code [AS] alias}, when the next token is not {@code stop}. */
    private Optional<String> alias(String stop) {
        if (acceptKeyword("AS")) {
            return Optional.of(identifier("an alias"));
        }
        Token t = peek();
        if (t.isIdentifier() && !t.isKeyword(stop) && !t.isKeyword("WHEN")) {
            next();
            return Optional.of(t.text());
        }
        return Optional.empty();
    }

    private String identifier(String what) {
        Token t = peek();
        if (!t.isIdentifier()) {
            throw error(t, "expected " + what + ", found " + t.describe());
        }
        index++;
        return t.text();
    }

    private Token peek() {
        return tokens.get(index);
    }

    private Token previous() {
        return tokens.get(index - 1);
    }

    private Token next() {
        Token t = tokens.get(index);
        if (t.kind() != Token.Kind.END) {
            index++;
        }
        return t;
    }

    private boolean acceptKeyword(String keyword) {
        if (peek().isKeyword(keyword)) {
            index++;
            return true;
        }
        return false;
    }

    private boolean acceptSymbol(String symbol) {
        if (peek().isSymbol(symbol)) {
            index++;
            return true;
        }
        return false;
    }

    private Token expectKeyword(String keyword) {
        Token t = peek();
        if (!t.isKeyword(keyword)) {
            throw error(t, "expected " + keyword + ", found " + t.describe());
        }
        index++;
        return t;
    }

    private Token expectSymbol(String symbol) {
        Token t = peek();
        if (!t.isSymbol(symbol)) {
            throw error(t, "expected '" + symbol + "', found " + t.describe());
        }
        index++;
        return t;
    }

    private TarnException error(Token at, String message) {
        return DdlParser.syntaxError(sql, at.start(), message + " in MERGE");
    }
}

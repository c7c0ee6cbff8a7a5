package dev.tarn.query.internal.sql;

import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.catalog.TableHandle;
import dev.tarn.query.internal.operator.ValuesOperator;
import dev.tarn.query.internal.plan.PlanNode;
import dev.tarn.txlog.types.DataType;
import dev.tarn.txlog.types.DecimalType;
import dev.tarn.txlog.types.PrimitiveType;
import dev.tarn.txlog.types.StructField;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code INSERT INTO t VALUES (...), ...} whose values are all plain literals, planned without Calcite: Calcite
 * plans a multi-row VALUES as a union of one-row projections, validating, converting and simplifying every row,
 * which made a 1,000-row insert cost over 100 ms of planning for microseconds of work (and seconds in a cold JVM,
 * most of it in Calcite's generated parser). Each literal is checked against its column's type once and the rows go
 * to the table as one {@link ValuesOperator}.
 *
 * <p>The statement text is scanned by a small recognizer of exactly this form, before Calcite's parser: plain or
 * backquoted names, unsigned or minus-signed numbers, single-quoted strings with doubled quotes, TRUE, FALSE, NULL;
 * any other form (comments, other literal syntax, expressions, a column list) is left to Calcite. Only literals
 * whose value the table type holds exactly take this route: integers for integer, decimal and double columns,
 * decimals whose scale and integer digits fit a decimal column (or any number for a double column), strings for
 * string columns, booleans, and NULL for nullable columns. Anything else (a column list, expressions, parameters, other types, a value needing rounding or
 * out of range, NULL for a NOT NULL column, a row of the wrong width, a time-travel or path name, a table that does
 * not exist) returns null and the statement takes the Calcite route, which gives the same result or the usual error.
 */
final class LiteralInsert {
    /** Numeric literals beyond this many digits (a BIGINT's) go through Calcite, whose row type for them may round. */
    private static final int MAX_DIGITS = 19;

    private LiteralInsert() {}

    /** One literal: NULL, a boolean, an exact or approximate number, or a string. */
    private record Literal(Kind kind, Object value) {
        enum Kind { NULL, BOOLEAN, EXACT, APPROXIMATE, STRING }

        static final Literal NULL = new Literal(Kind.NULL, null);
    }

    /** The planned insert, or null when the text is not a literal VALUES insert this class recognizes. */
    static PlannedStatement plan(String sql, SessionState session) {
        Recognizer r = new Recognizer(sql);
        if (!r.keyword("INSERT") || !r.statement()) {
            return null;
        }
        return build(r.name, r.rows, session);
    }

    private static PlannedStatement build(List<String> name, List<List<Literal>> literalRows, SessionState session) {
        TableHandle target = resolve(name, session).orElse(null);
        if (target == null) {
            return null;
        }
        List<StructField> fields = target.schema().fields();
        List<ResultColumn> columns = new ArrayList<>(fields.size());
        for (StructField f : fields) {
            columns.add(new ResultColumn(f.name(), f.type(), f.nullable()));
        }
        List<List<Object>> rows = new ArrayList<>(literalRows.size());
        for (List<Literal> literals : literalRows) {
            if (literals.size() != fields.size()) {
                return null;
            }
            List<Object> row = new ArrayList<>(literals.size());
            for (int c = 0; c < literals.size(); c++) {
                Object v = value(literals.get(c), fields.get(c));
                if (v == NOT_TAKEN) {
                    return null;
                }
                row.add(v);
            }
            rows.add(row);
        }
        PlanNode source = new PlanNode("LiteralValues[" + rows.size() + " rows]", columns, List.of(),
                (ops, b) -> new ValuesOperator(columns, rows));
        return new InsertStatement(target, source, List.of(), session.timeZone());
    }

    private static Optional<TableHandle> resolve(List<String> parts, SessionState session) {
        if (parts.size() > 2 || parts.stream().anyMatch(p -> p.isEmpty() || p.indexOf('@') >= 0)) {
            return Optional.empty(); // time travel (t@v3) and other forms stay with the catalog reader's rules
        }
        String schema = parts.size() == 2 ? parts.get(0) : session.currentSchema();
        if (schema.equalsIgnoreCase(LakeSchemas.PATH_SCHEMA) || !session.catalog().schemaExists(schema)) {
            return Optional.empty();
        }
        return session.catalog().table(schema, parts.get(parts.size() - 1));
    }

    private static final Object NOT_TAKEN = new Object();

    /** The canonical value of a literal for a column, or {@link #NOT_TAKEN} when it needs the Calcite route. */
    private static Object value(Literal literal, StructField field) {
        DataType type = field.type();
        return switch (literal.kind()) {
            case NULL -> field.nullable() ? null : NOT_TAKEN;
            case BOOLEAN -> type == PrimitiveType.BOOLEAN ? literal.value() : NOT_TAKEN;
            case STRING -> type == PrimitiveType.STRING ? literal.value() : NOT_TAKEN;
            case EXACT, APPROXIMATE -> {
                BigDecimal v = (BigDecimal) literal.value();
                yield v.precision() > MAX_DIGITS ? NOT_TAKEN
                        : number(v, literal.kind() == Literal.Kind.EXACT, type);
            }
        };
    }

    private static Object number(BigDecimal v, boolean exact, DataType type) {
        if (type == PrimitiveType.DOUBLE) {
            return v.doubleValue();
        }
        if (!exact) {
            return NOT_TAKEN;
        }
        if (type instanceof DecimalType d) {
            int integerDigits = v.precision() - v.scale();
            return v.scale() <= d.scale() && integerDigits <= d.precision() - d.scale() ? v.setScale(d.scale())
                    : NOT_TAKEN;
        }
        long min;
        long max;
        if (type == PrimitiveType.BYTE) {
            min = Byte.MIN_VALUE;
            max = Byte.MAX_VALUE;
        } else if (type == PrimitiveType.SHORT) {
            min = Short.MIN_VALUE;
            max = Short.MAX_VALUE;
        } else if (type == PrimitiveType.INTEGER) {
            min = Integer.MIN_VALUE;
            max = Integer.MAX_VALUE;
        } else if (type == PrimitiveType.LONG) {
            min = Long.MIN_VALUE;
            max = Long.MAX_VALUE;
        } else {
            return NOT_TAKEN;
        }
        if (v.scale() > 0 || v.compareTo(BigDecimal.valueOf(min)) < 0 || v.compareTo(BigDecimal.valueOf(max)) > 0) {
            return NOT_TAKEN;
        }
        return v.longValueExact();
    }

    /**
     * Recognizes {@code INSERT INTO name VALUES (literal, ...), ... [;]} and nothing else: any other character,
     * comment, keyword or literal form makes {@link #statement()} false, and Calcite's parser decides.
     */
    private static final class Recognizer {
        private final String sql;
        private int pos;
        List<String> name;
        final List<List<Literal>> rows = new ArrayList<>();

        Recognizer(String sql) {
            this.sql = sql;
        }

        /** The rest after {@code INSERT}. */
        boolean statement() {
            if (!keyword("INTO")) {
                return false;
            }
            name = new ArrayList<>(2);
            String part = identifier();
            if (part == null) {
                return false;
            }
            name.add(part);
            skipSpace();
            if (peek() == '.') {
                pos++;
                part = identifier();
                if (part == null) {
                    return false;
                }
                name.add(part);
            }
            if (!keyword("VALUES")) {
                return false;
            }
            do {
                List<Literal> row = row();
                if (row == null) {
                    return false;
                }
                rows.add(row);
                skipSpace();
            } while (consume(','));
            consume(';');
            skipSpace();
            return pos == sql.length();
        }

        private List<Literal> row() {
            skipSpace();
            if (!consume('(')) {
                return null;
            }
            List<Literal> row = new ArrayList<>();
            do {
                skipSpace();
                Literal l = literal();
                if (l == null) {
                    return null;
                }
                row.add(l);
                skipSpace();
            } while (consume(','));
            return consume(')') ? row : null;
        }

        private Literal literal() {
            char c = peek();
            if (c == '\'') {
                return string();
            }
            if (c == '-' || c == '.' || (c >= '0' && c <= '9')) {
                return number();
            }
            String word = word();
            if (word == null) {
                return null;
            }
            if (word.equalsIgnoreCase("NULL")) {
                return Literal.NULL;
            }
            if (word.equalsIgnoreCase("TRUE") || word.equalsIgnoreCase("FALSE")) {
                return new Literal(Literal.Kind.BOOLEAN, word.equalsIgnoreCase("TRUE"));
            }
            return null;
        }

        /** {@code '...'} with {@code ''} for a quote; a backslash is left to Calcite (escape rules differ). */
        private Literal string() {
            StringBuilder sb = new StringBuilder();
            pos++;
            while (pos < sql.length()) {
                char c = sql.charAt(pos++);
                if (c == '\\') {
                    return null;
                }
                if (c == '\'') {
                    if (peek() != '\'') {
                        return new Literal(Literal.Kind.STRING, sb.toString());
                    }
                    pos++;
                }
                sb.append(c);
            }
            return null;
        }

        /** {@code [-]digits[.digits][(e|E)[+|-]digits]}, digits on both sides of a point. */
        private Literal number() {
            int start = pos;
            consume('-');
            if (!digits()) {
                return null;
            }
            if (consume('.') && !digits()) {
                return null;
            }
            boolean exact = true;
            if (peek() == 'e' || peek() == 'E') {
                pos++;
                if (!consume('+')) {
                    consume('-');
                }
                if (!digits()) {
                    return null;
                }
                exact = false;
            }
            char next = peek();
            if (Character.isLetterOrDigit(next) || next == '_' || next == '.') {
                return null;
            }
            return new Literal(exact ? Literal.Kind.EXACT : Literal.Kind.APPROXIMATE,
                    new BigDecimal(sql.substring(start, pos)));
        }

        private boolean digits() {
            int start = pos;
            while (pos < sql.length() && sql.charAt(pos) >= '0' && sql.charAt(pos) <= '9') {
                pos++;
            }
            return pos > start;
        }

        /** A plain name ({@code [A-Za-z_][A-Za-z0-9_]*}, not a keyword of this form) or a backquoted one. */
        private String identifier() {
            skipSpace();
            if (peek() == '`') {
                int end = sql.indexOf('`', pos + 1);
                if (end < 0 || end == pos + 1 || (end + 1 < sql.length() && sql.charAt(end + 1) == '`')) {
                    return null;
                }
                String quoted = sql.substring(pos + 1, end);
                pos = end + 1;
                return quoted;
            }
            String word = word();
            return word == null || word.equalsIgnoreCase("TABLE") || word.equalsIgnoreCase("VALUES") ? null : word;
        }

        private String word() {
            int start = pos;
            while (pos < sql.length()) {
                char c = sql.charAt(pos);
                boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
                if (!letter && !(pos > start && c >= '0' && c <= '9')) {
                    break;
                }
                pos++;
            }
            return pos > start ? sql.substring(start, pos) : null;
        }

        private boolean keyword(String keyword) {
            skipSpace();
            int start = pos;
            String word = word();
            if (word != null && word.equalsIgnoreCase(keyword)) {
                return true;
            }
            pos = start;
            return false;
        }

        private void skipSpace() {
            while (pos < sql.length() && (sql.charAt(pos) == ' ' || sql.charAt(pos) == '\n'
                    || sql.charAt(pos) == '\t' || sql.charAt(pos) == '\r')) {
                pos++;
            }
        }

        private boolean consume(char c) {
            if (peek() == c) {
                pos++;
                return true;
            }
            return false;
        }

        private char peek() {
            return pos < sql.length() ? sql.charAt(pos) : '\0';
        }
    }
}

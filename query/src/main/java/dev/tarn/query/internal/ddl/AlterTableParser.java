package dev.tarn.query.internal.ddl;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.internal.ddl.DdlStatement.ColumnDefinition;
import dev.tarn.query.internal.write.WriteChecks;
import dev.tarn.txlog.types.DataType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Parses Spark/Delta's schema statements for {@link DdlParser}: {@code ALTER TABLE} (all forms but CLUSTER BY),
 * {@code RESTORE TABLE}, and the {@code GENERATED ...} clause of a CREATE TABLE column. Works on the caller's
 * tokens from a given position and reports where it stopped.
 */
final class AlterTableParser extends TokenParser {
    AlterTableParser(String sql, List<Token> tokens, int index) {
        super(sql, tokens, index);
    }

    /** After {@code ALTER}: {@code TABLE t <action>}. */
    DdlStatement alterTable() {
        expect("TABLE");
        TableName table = tableName();
        Token t = peek();
        AlterAction action;
        if (accept("ADD")) {
            if (accept("CONSTRAINT")) {
                String name = identifier("constraint name");
                expect("CHECK");
                action = new AlterAction.AddConstraint(name, parenthesizedText("CHECK expression"));
            } else if (accept("COLUMN") || accept("COLUMNS")) {
                action = new AlterAction.AddColumns(addedColumns());
            } else {
                throw error(peek(), "expected COLUMN(S) or CONSTRAINT after ADD but found " + peek().describe());
            }
        } else if (accept("DROP")) {
            if (accept("CONSTRAINT")) {
                boolean ifExists = ifExists();
                action = new AlterAction.DropConstraint(identifier("constraint name"), ifExists);
            } else if (accept("COLUMN") || accept("COLUMNS")) {
                boolean ifExists = ifExists();
                List<String> columns = new ArrayList<>();
                boolean parenthesized = acceptSymbol("(");
                do {
                    columns.add(columnName());
                } while (acceptSymbol(","));
                if (parenthesized) {
                    expectSymbol(")");
                }
                action = new AlterAction.DropColumns(columns, ifExists);
            } else {
                throw error(peek(), "expected COLUMN(S) or CONSTRAINT after DROP but found " + peek().describe());
            }
        } else if (accept("RENAME")) {
            if (peek().isKeyword("TO")) {
                throw new TarnException(ErrorCode.UNSUPPORTED_STATEMENT, "ALTER TABLE ... RENAME TO is not supported ("
                        + DdlParser.positionOf(sql, t.start()) + "); only RENAME COLUMN a TO b");
            }
            expect("COLUMN");
            String from = columnName();
            expect("TO");
            action = new AlterAction.RenameColumn(from, identifier("new column name"));
        } else if (accept("ALTER") || accept("CHANGE")) {
            accept("COLUMN");
            String column = columnName();
            if (accept("SET")) {
                expect("NOT");
                expect("NULL");
                action = new AlterAction.SetNullability(column, false);
            } else if (accept("DROP")) {
                expect("NOT");
                expect("NULL");
                action = new AlterAction.SetNullability(column, true);
            } else if (accept("COMMENT")) {
                action = new AlterAction.SetComment(column, string("column comment"));
            } else if (accept("TYPE")) {
                action = new AlterAction.ChangeType(column, dataType());
            } else {
                throw error(peek(), "expected SET NOT NULL, DROP NOT NULL, COMMENT or TYPE after the column but found "
                        + peek().describe());
            }
        } else if (peek().isKeyword("SET") && tokens.get(index + 1).isKeyword("TBLPROPERTIES")) {
            index += 2;
            action = new AlterAction.SetProperties(properties());
        } else if (peek().isKeyword("UNSET") && tokens.get(index + 1).isKeyword("TBLPROPERTIES")) {
            next();
            expect("TBLPROPERTIES");
            boolean ifExists = ifExists();
            expectSymbol("(");
            List<String> keys = new ArrayList<>();
            do {
                keys.add(propertyKey());
            } while (acceptSymbol(","));
            expectSymbol(")");
            action = new AlterAction.UnsetProperties(keys, ifExists);
        } else {
            throw new TarnException(ErrorCode.UNSUPPORTED_STATEMENT, "Unsupported ALTER TABLE form at "
                    + DdlParser.positionOf(sql, t.start()) + " (near " + t.describe() + "); supported: ADD COLUMN(S), "
                    + "RENAME COLUMN, DROP COLUMN(S), ALTER COLUMN c SET/DROP NOT NULL | COMMENT | TYPE, "
                    + "SET/UNSET TBLPROPERTIES, ADD/DROP CONSTRAINT, CLUSTER BY");
        }
        return new DdlStatement.AlterTable(table, action);
    }

    private static final List<String> AUTO_MERGE_KEYS = List.of("spark.databricks.delta.schema.autoMerge.enabled",
            "tarn.schema.autoMerge");

    /** The token index just past a schema auto-merge setting key starting at {@code at}, or -1 when there is none. */
    static int autoMergeKeyEnd(List<Token> tokens, int at) {
        return settingKeyEnd(tokens, at, AUTO_MERGE_KEYS);
    }

    /** After {@code SET}: {@code <auto-merge key> [=] true | false}. */
    DdlStatement setAutoMerge() {
        index = autoMergeKeyEnd(tokens, index);
        acceptSymbol("=");
        Token t = next();
        String v = t.text();
        if ((t.kind() == Token.Kind.WORD || t.kind() == Token.Kind.STRING)
                && (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false"))) {
            return new DdlStatement.SetSchemaAutoMerge(Boolean.parseBoolean(v.toLowerCase(Locale.ROOT)));
        }
        throw error(t, "expected true or false but found " + t.describe());
    }

    /** After {@code RESTORE}: {@code [TABLE] t [TO] VERSION AS OF n | TIMESTAMP AS OF 'ts'}. */
    DdlStatement restore() {
        accept("TABLE");
        TableName table = tableName();
        accept("TO");
        if (accept("VERSION")) {
            expect("AS");
            expect("OF");
            Token n = next();
            long version;
            try {
                version = n.kind() == Token.Kind.NUMBER ? Long.parseLong(n.text()) : -1;
            } catch (NumberFormatException e) {
                version = -1;
            }
            if (version < 0) {
                throw error(n, "expected a version number after VERSION AS OF but found " + n.describe());
            }
            return new DdlStatement.Restore(table, OptionalLong.of(version), Optional.empty());
        }
        if (accept("TIMESTAMP")) {
            expect("AS");
            expect("OF");
            return new DdlStatement.Restore(table, OptionalLong.empty(), Optional.of(string("timestamp")));
        }
        throw error(peek(), "expected VERSION AS OF n or TIMESTAMP AS OF 'timestamp' but found " + peek().describe());
    }

    /**
     * After a column's type in CREATE TABLE, at {@code GENERATED}: {@code GENERATED ALWAYS AS (expr)} or
     * {@code GENERATED ALWAYS | BY DEFAULT AS IDENTITY [(START WITH n INCREMENT BY m)]}, as the field metadata Delta
     * stores (PROTOCOL.md "Generated Columns", "Identity Columns").
     */
    Map<String, Object> generatedColumn(String column, DataType type) {
        Token at = peek();
        expect("GENERATED");
        boolean always;
        if (accept("ALWAYS")) {
            always = true;
        } else {
            expect("BY");
            expect("DEFAULT");
            always = false;
        }
        expect("AS");
        Map<String, Object> metadata = new LinkedHashMap<>();
        if (accept("IDENTITY")) {
            if (type != dev.tarn.txlog.types.PrimitiveType.LONG) {
                throw error(at, "identity column " + column + " must be BIGINT, not " + type.sqlName());
            }
            long start = 1;
            long step = 1;
            if (acceptSymbol("(")) {
                boolean any = false;
                while (true) {
                    if (accept("START")) {
                        expect("WITH");
                        start = signedLong("START WITH value");
                    } else if (accept("INCREMENT")) {
                        expect("BY");
                        Token s = peek();
                        step = signedLong("INCREMENT BY value");
                        if (step == 0) {
                            throw error(s, "INCREMENT BY of identity column " + column + " cannot be 0");
                        }
                    } else {
                        break;
                    }
                    any = true;
                }
                if (!any) {
                    throw error(peek(), "expected START WITH or INCREMENT BY but found " + peek().describe());
                }
                expectSymbol(")");
            }
            metadata.put(WriteChecks.IDENTITY_START, start);
            metadata.put(WriteChecks.IDENTITY_STEP, step);
            metadata.put(WriteChecks.IDENTITY_ALLOW_EXPLICIT_INSERT, !always);
            return metadata;
        }
        if (!always) {
            throw error(peek(), "GENERATED BY DEFAULT takes AS IDENTITY; computed columns are GENERATED ALWAYS AS (expr)");
        }
        metadata.put(WriteChecks.GENERATION_EXPRESSION, parenthesizedText("generation expression"));
        return metadata;
    }

    private long signedLong(String what) {
        boolean negative = acceptSymbol("-");
        Token n = next();
        try {
            if (n.kind() == Token.Kind.NUMBER) {
                long v = Long.parseLong(n.text());
                return negative ? -v : v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw error(n, "expected an integer " + what + " but found " + n.describe());
    }

    /** The columns of ADD COLUMN(S): parenthesized or not. */
    private List<ColumnDefinition> addedColumns() {
        boolean parenthesized = acceptSymbol("(");
        List<ColumnDefinition> columns = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        do {
            Token nameToken = peek();
            String name = columnName();
            if (!seen.add(name.toLowerCase(Locale.ROOT))) {
                throw error(nameToken, "column " + name + " is listed twice");
            }
            DataType type = dataType();
            Optional<String> comment = Optional.empty();
            while (true) {
                Token t = peek();
                if (accept("NOT")) {
                    throw new TarnException(ErrorCode.VALIDATION_ERROR, "Column " + name + " cannot be added as NOT NULL ("
                            + DdlParser.positionOf(sql, t.start()) + "): the table's existing rows have no value for it;"
                            + " add it nullable, fill it, then ALTER COLUMN " + name + " SET NOT NULL");
                } else if (accept("COMMENT")) {
                    comment = Optional.of(string("column comment"));
                } else if (peek().isKeyword("FIRST") || peek().isKeyword("AFTER") || peek().isKeyword("GENERATED")
                        || peek().isKeyword("DEFAULT")) {
                    throw new TarnException(ErrorCode.UNSUPPORTED_STATEMENT, t.text().toUpperCase(Locale.ROOT)
                            + " is not supported in ADD COLUMNS (" + DdlParser.positionOf(sql, t.start())
                            + "); new columns go after the existing ones");
                } else {
                    break;
                }
            }
            columns.add(new ColumnDefinition(name, type, true, comment));
        } while (acceptSymbol(","));
        if (parenthesized) {
            expectSymbol(")");
        }
        return columns;
    }

    private Map<String, String> properties() {
        Map<String, String> properties = new LinkedHashMap<>();
        expectSymbol("(");
        do {
            Token keyToken = peek();
            String key = propertyKey();
            acceptSymbol("=");
            String value = propertyValue();
            if (properties.put(key, value) != null) {
                throw error(keyToken, "table property '" + key + "' is given twice");
            }
        } while (acceptSymbol(","));
        expectSymbol(")");
        return properties;
    }

    /** The source text between a '(' (the next token) and its matching ')', which are consumed. */
    private String parenthesizedText(String what) {
        Token open = peek();
        expectSymbol("(");
        int depth = 1;
        while (true) {
            Token t = next();
            if (t.kind() == Token.Kind.END) {
                throw error(open, "the " + what + " has no closing ')'");
            }
            if (t.isSymbol("(")) {
                depth++;
            } else if (t.isSymbol(")") && --depth == 0) {
                String text = sql.substring(open.end(), t.start()).strip();
                if (text.isEmpty()) {
                    throw error(open, "the " + what + " is empty");
                }
                return text;
            }
        }
    }

    private DataType dataType() {
        int[] at = {index};
        DataType type = DdlParser.dataTypeAt(sql, tokens, at);
        index = at[0];
        return type;
    }

    /** A top-level column name; nested paths (a.b) are refused. */
    private String columnName() {
        Token t = peek();
        String name = identifier("column name");
        if (peek().isSymbol(".")) {
            throw new TarnException(ErrorCode.UNSUPPORTED_STATEMENT, "Nested field " + name + "." + "... ("
                    + DdlParser.positionOf(sql, t.start()) + "): ALTER TABLE changes top-level columns only");
        }
        return name;
    }

    private TableName tableName() {
        Token first = peek();
        String a = identifier("table name");
        if (!acceptSymbol(".")) {
            return TableName.of(null, a);
        }
        Token second = peek();
        String b = identifier("table name");
        if (first.kind() == Token.Kind.WORD && a.equalsIgnoreCase("delta")
                && second.kind() == Token.Kind.QUOTED_IDENTIFIER && DdlParser.looksLikePath(b)) {
            return TableName.ofPath(b);
        }
        return TableName.of(a, b);
    }

    private boolean ifExists() {
        if (accept("IF")) {
            expect("EXISTS");
            return true;
        }
        return false;
    }

}

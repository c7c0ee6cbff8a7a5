package dev.tarn.query.internal.ddl;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.internal.ddl.DdlStatement.ColumnDefinition;
import dev.tarn.query.internal.ddl.DdlStatement.TableOptions;
import dev.tarn.txlog.types.ArrayType;
import dev.tarn.txlog.types.DataType;
import dev.tarn.txlog.types.DecimalType;
import dev.tarn.txlog.types.MapType;
import dev.tarn.txlog.types.PrimitiveType;
import dev.tarn.txlog.types.StructField;
import dev.tarn.txlog.types.StructType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Recursive-descent parser for Spark's schema and table DDL, {@code SHOW}, {@code DESCRIBE} and {@code USE}.
 * {@link #parse} returns empty for any other statement (queries, INSERT), which then goes to the SQL engine.
 */
public final class DdlParser extends TokenParser {
    private DdlParser(String sql, List<Token> tokens) {
        super(sql, tokens, 0);
    }

    /** The DDL statement {@code sql} is, or empty when it is not one this front end handles. */
    public static Optional<DdlStatement> parse(String sql) {
        if (!mayBeDdl(sql)) {
            return Optional.empty(); // SELECT, INSERT, ...: no need to tokenize all of a long statement
        }
        List<Token> tokens;
        try {
            tokens = Tokenizer.tokenize(sql);
        } catch (TarnException e) {
            // Not ours to judge unless it starts like DDL; the SQL engine reports its own lexical errors.
            if (startsLikeDdl(sql)) {
                throw e;
            }
            return Optional.empty();
        }
        DdlParser p = new DdlParser(sql, tokens);
        p.rejectUnsupported();
        if (!p.isDdl()) {
            return Optional.empty();
        }
        DdlStatement statement = p.statement();
        return Optional.of(statement);
    }

    /** A stand-alone partition predicate ({@code col op literal [AND ...]}), as maintenance commands take it. */
    static List<DdlStatement.PartitionCondition> parsePartitionPredicate(String text) {
        DdlParser p = new DdlParser(text, Tokenizer.tokenize(text));
        List<DdlStatement.PartitionCondition> conditions = p.partitionPredicate();
        if (p.peek().kind() != Token.Kind.END) {
            throw p.error(p.peek(), "unexpected " + p.peek().describe() + " after the partition predicate");
        }
        return conditions;
    }

    /** DDL's possible first words ({@link #isDdl} and {@link #rejectUnsupported} look no further). */
    private static final java.util.Set<String> FIRST_WORDS = java.util.Set.of("CREATE", "DROP", "SET", "CHECKPOINT",
            "OPTIMIZE", "VACUUM", "REORG", "ALTER", "RESTORE", "SHOW", "DESCRIBE", "DESC", "USE", "REPLACE");

    /**
     * False when the statement starts with a plain word no DDL starts with; true otherwise, also when it starts with
     * a comment or a quote, which the tokenizer judges.
     */
    private static boolean mayBeDdl(String sql) {
        String word = SqlText.firstWord(sql);
        int next = sql.length() - sql.stripLeading().length() + word.length();
        boolean wholeWord = next >= sql.length() || !Character.isLetterOrDigit(sql.charAt(next));
        return word.isEmpty() || !wholeWord || FIRST_WORDS.contains(word);
    }

    private static boolean startsLikeDdl(String sql) {
        String s = sql.stripLeading().toUpperCase(Locale.ROOT);
        return s.startsWith("CREATE") || s.startsWith("DROP") || s.startsWith("SHOW") || s.startsWith("DESC")
                || s.startsWith("USE") || s.startsWith("CHECKPOINT") || s.startsWith("OPTIMIZE") || s.startsWith("REORG")
                || s.startsWith("VACUUM") || s.startsWith("ALTER") || s.startsWith("RESTORE");
    }

    /**
     * Spark DDL that Tarn does not run yet gets a clear error here instead of a syntax error from the SQL engine,
     * whose grammar does not know it.
     */
    private void rejectUnsupported() {
        Token first = peek();
        Token second = tokens.size() > 1 ? tokens.get(1) : first;
        String what = null;
        if (first.isKeyword("CREATE") && second.isKeyword("OR")) {
            what = "CREATE OR REPLACE TABLE";
        } else if (first.isKeyword("REPLACE") && second.isKeyword("TABLE")) {
            what = "REPLACE TABLE";
        } else if (first.isKeyword("ALTER") && (second.isKeyword("SCHEMA")
                || second.isKeyword("DATABASE"))) {
            what = "ALTER " + second.text().toUpperCase(Locale.ROOT);
        } else if (first.isKeyword("CREATE") && (second.isKeyword("VIEW") || second.isKeyword("TEMPORARY")
                || second.isKeyword("TEMP") || second.isKeyword("EXTERNAL"))) {
            what = "CREATE " + second.text().toUpperCase(Locale.ROOT);
        }
        if (what != null) {
            throw new TarnException(ErrorCode.UNSUPPORTED_STATEMENT, what + " is not supported (" + positionOf(sql,
                    first.start()) + "); supported DDL: CREATE/DROP SCHEMA, CREATE TABLE [AS SELECT], DROP TABLE, "
                    + "SHOW SCHEMAS, SHOW TABLES, DESCRIBE [HISTORY | DETAIL], SET TIME ZONE, USE, CHECKPOINT, OPTIMIZE, "
                    + "REORG TABLE ... APPLY (PURGE), VACUUM, ALTER TABLE, RESTORE TABLE");
        }
    }

    private boolean isDdl() {
        Token first = peek();
        Token second = tokens.size() > 1 ? tokens.get(1) : first;
        if (first.isKeyword("CREATE") || first.isKeyword("DROP")) {
            return second.isKeyword("TABLE") || second.isKeyword("SCHEMA") || second.isKeyword("DATABASE")
                    || second.isKeyword("NAMESPACE");
        }
        if (first.isKeyword("SET")) {
            return second.isKeyword("TIME") || isSessionTimeZoneKey(1) || retentionCheckKeyEnd(1) > 0
                    || AlterTableParser.autoMergeKeyEnd(tokens, 1) > 0
                    || settingKeyEnd(tokens, 1, THREADS_KEYS) > 0 || settingKeyEnd(tokens, 1, MEMORY_LIMIT_KEYS) > 0
                    || settingKeyEnd(tokens, 1, STATEMENT_TIMEOUT_KEYS) > 0;
        }
        if (first.isKeyword("CHECKPOINT") || first.isKeyword("OPTIMIZE") || first.isKeyword("VACUUM")) {
            return second.isIdentifier();
        }
        if (first.isKeyword("REORG")) {
            return second.isKeyword("TABLE");
        }
        if (first.isKeyword("ALTER")) {
            return second.isKeyword("TABLE");
        }
        if (first.isKeyword("RESTORE")) {
            return second.isIdentifier();
        }
        return first.isKeyword("SHOW") || first.isKeyword("DESCRIBE") || first.isKeyword("DESC") || first.isKeyword("USE");
    }

    /** Whether the tokens from {@code at} spell {@code spark.sql.session.timeZone} (ignoring case). */
    private boolean isSessionTimeZoneKey(int at) {
        String[] parts = {"spark", "sql", "session", "timeZone"};
        for (int i = 0; i < parts.length; i++) {
            int word = at + 2 * i;
            if (word >= tokens.size() || !tokens.get(word).isKeyword(parts[i])) {
                return false;
            }
            if (i < parts.length - 1 && (word + 1 >= tokens.size() || !tokens.get(word + 1).isSymbol("."))) {
                return false;
            }
        }
        return true;
    }

    private DdlStatement statement() {
        DdlStatement s;
        if (accept("CREATE")) {
            s = accept("TABLE") ? createTable() : createSchema();
        } else if (accept("DROP")) {
            s = accept("TABLE") ? dropTable() : dropSchema();
        } else if (accept("SHOW")) {
            s = show();
        } else if (accept("DESCRIBE") || accept("DESC")) {
            s = describe();
        } else if (peek().isKeyword("SET") && AlterTableParser.autoMergeKeyEnd(tokens, index + 1) > 0) {
            AlterTableParser set = new AlterTableParser(sql, tokens, index + 1);
            s = set.setAutoMerge();
            index = set.index();
        } else if (accept("SET")) {
            if (settingKeyEnd(tokens, index, THREADS_KEYS) > 0) {
                s = setThreads();
            } else if (settingKeyEnd(tokens, index, MEMORY_LIMIT_KEYS) > 0) {
                s = setMemoryLimit();
            } else if (settingKeyEnd(tokens, index, STATEMENT_TIMEOUT_KEYS) > 0) {
                s = setStatementTimeout();
            } else {
                s = retentionCheckKeyEnd(index) > 0 ? setRetentionCheck() : setTimeZone();
            }
        } else if (accept("OPTIMIZE")) {
            s = optimize();
        } else if (accept("ALTER")) {
            if (isAlterClusterBy()) {
                s = alterClusterBy();
            } else {
                AlterTableParser alter = new AlterTableParser(sql, tokens, index);
                s = alter.alterTable();
                index = alter.index();
            }
        } else if (accept("RESTORE")) {
            AlterTableParser restore = new AlterTableParser(sql, tokens, index);
            s = restore.restore();
            index = restore.index();
        } else if (accept("REORG")) {
            s = reorg();
        } else if (accept("VACUUM")) {
            s = vacuum();
        } else if (accept("CHECKPOINT")) {
            accept("TABLE");
            s = new DdlStatement.Checkpoint(tableName());
        } else {
            expect("USE");
            accept("SCHEMA");
            accept("DATABASE");
            s = new DdlStatement.Use(identifier("schema name"));
        }
        acceptSymbol(";");
        if (peek().kind() != Token.Kind.END) {
            throw error(peek(), "unexpected " + peek().describe() + " after the end of the statement");
        }
        return s;
    }

    private static final List<String> RETENTION_CHECK_KEYS = List.of(
            "spark.databricks.delta.retentionDurationCheck.enabled", "tarn.vacuum.retentionCheck");

    private static final List<String> THREADS_KEYS = List.of("threads", "tarn.threads");
    private static final List<String> MEMORY_LIMIT_KEYS = List.of("memory_limit", "tarn.memory.limit");
    private static final List<String> STATEMENT_TIMEOUT_KEYS = List.of("statement_timeout", "tarn.statement_timeout");

    /** {@code SET statement_timeout | tarn.statement_timeout [=] '30s' | ms | 0 | none}, as in PostgreSQL. */
    private DdlStatement setStatementTimeout() {
        index = settingKeyEnd(tokens, index, STATEMENT_TIMEOUT_KEYS);
        acceptSymbol("=");
        Token t = next();
        if (t.kind() == Token.Kind.NUMBER || t.kind() == Token.Kind.STRING || t.kind() == Token.Kind.WORD) {
            String text = t.text();
            // An unquoted 30s arrives as a number followed by a word.
            if (t.kind() == Token.Kind.NUMBER && peek().kind() == Token.Kind.WORD) {
                text += next().text();
            }
            return new DdlStatement.SetStatementTimeout(
                    dev.tarn.query.StatementTimeout.parse(text));
        }
        throw error(t, "expected a timeout such as '30s' or 0 for none but found " + t.describe());
    }

    /** {@code SET threads | tarn.threads [=] n}: the session's worker threads per query. */
    private DdlStatement setThreads() {
        index = settingKeyEnd(tokens, index, THREADS_KEYS);
        acceptSymbol("=");
        Token t = next();
        if (t.kind() == Token.Kind.NUMBER || t.kind() == Token.Kind.STRING) {
            try {
                int n = Integer.parseInt(t.text().trim());
                if (n >= 1) {
                    return new DdlStatement.SetThreads(n);
                }
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw error(t, "expected a thread count of at least 1 but found " + t.describe());
    }

    /** {@code SET memory_limit | tarn.memory.limit [=] '512MB' | bytes | none}: the per-query memory limit. */
    private DdlStatement setMemoryLimit() {
        index = settingKeyEnd(tokens, index, MEMORY_LIMIT_KEYS);
        acceptSymbol("=");
        Token t = next();
        if (t.kind() == Token.Kind.NUMBER || t.kind() == Token.Kind.STRING || t.kind() == Token.Kind.WORD) {
            String text = t.text();
            // An unquoted 512MB arrives as a number followed by a word.
            if (t.kind() == Token.Kind.NUMBER && peek().kind() == Token.Kind.WORD) {
                text += next().text();
            }
            return new DdlStatement.SetMemoryLimit(dev.tarn.query.internal.execution.MemorySize.parse(text));
        }
        throw error(t, "expected a memory size such as '512MB' but found " + t.describe());
    }

    /** The token index just past a retention-check setting key starting at {@code at}, or -1 when there is none. */
    private int retentionCheckKeyEnd(int at) {
        return settingKeyEnd(tokens, at, RETENTION_CHECK_KEYS);
    }

    /** {@code SET <retention check key> [=] true | false}. */
    private DdlStatement setRetentionCheck() {
        index = retentionCheckKeyEnd(index);
        acceptSymbol("=");
        Token t = next();
        String v = t.text();
        if ((t.kind() == Token.Kind.WORD || t.kind() == Token.Kind.STRING)
                && (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false"))) {
            return new DdlStatement.SetRetentionCheck(Boolean.parseBoolean(v.toLowerCase(Locale.ROOT)));
        }
        throw error(t, "expected true or false but found " + t.describe());
    }

    /** {@code OPTIMIZE t [WHERE partition predicate] [ZORDER BY (c1, ...)] [FULL]}. */
    private DdlStatement optimize() {
        TableName table = tableName();
        List<DdlStatement.PartitionCondition> where = accept("WHERE") ? partitionPredicate() : List.of();
        List<String> zOrderBy = new ArrayList<>();
        if (accept("ZORDER")) {
            expect("BY");
            boolean parenthesized = acceptSymbol("(");
            do {
                zOrderBy.add(identifier("Z-order column"));
            } while (acceptSymbol(","));
            if (parenthesized) {
                expectSymbol(")");
            }
        }
        boolean full = accept("FULL");
        return new DdlStatement.Optimize(table, where, zOrderBy, full);
    }

    /** Whether the statement is {@code ALTER TABLE name CLUSTER ...} (the one ALTER TABLE form supported). */
    private boolean isAlterClusterBy() {
        // ALTER TABLE a CLUSTER / ALTER TABLE a . b CLUSTER / ALTER TABLE delta . `path` CLUSTER
        return (tokens.size() > 3 && tokens.get(3).isKeyword("CLUSTER"))
                || (tokens.size() > 5 && tokens.get(3).isSymbol(".") && tokens.get(5).isKeyword("CLUSTER"));
    }

    /** {@code ALTER TABLE t CLUSTER BY (c1, s.f, ...) | NONE}. */
    private DdlStatement alterClusterBy() {
        expect("TABLE");
        TableName table = tableName();
        expect("CLUSTER");
        expect("BY");
        if (accept("NONE")) {
            return new DdlStatement.AlterClusterBy(table, List.of());
        }
        return new DdlStatement.AlterClusterBy(table, clusteringColumns());
    }

    /** {@code (c1, s.f, ...)}: clustering columns as dotted paths. */
    private List<List<String>> clusteringColumns() {
        expectSymbol("(");
        List<List<String>> columns = new ArrayList<>();
        do {
            List<String> path = new ArrayList<>();
            do {
                path.add(identifier("clustering column"));
            } while (acceptSymbol("."));
            columns.add(path);
        } while (acceptSymbol(","));
        expectSymbol(")");
        return columns;
    }

    /** {@code REORG TABLE t [WHERE partition predicate] APPLY (PURGE)}. */
    private DdlStatement reorg() {
        expect("TABLE");
        TableName table = tableName();
        List<DdlStatement.PartitionCondition> where = accept("WHERE") ? partitionPredicate() : List.of();
        expect("APPLY");
        expectSymbol("(");
        if (!accept("PURGE")) {
            throw error(peek(), "REORG TABLE supports only APPLY (PURGE), found " + peek().describe());
        }
        expectSymbol(")");
        return new DdlStatement.Purge(table, where);
    }

    /** {@code VACUUM t [LITE | FULL] [RETAIN n HOURS] [DRY RUN]}, the clauses in any order, each once. */
    private DdlStatement vacuum() {
        TableName table = tableName();
        Optional<java.time.Duration> retention = Optional.empty();
        boolean dryRun = false;
        Boolean lite = null;
        while (peek().kind() != Token.Kind.END && !peek().isSymbol(";")) {
            Token t = peek();
            if (accept("RETAIN")) {
                once(retention.isPresent(), t, "RETAIN");
                Token n = next();
                java.math.BigDecimal hours;
                try {
                    hours = n.kind() == Token.Kind.NUMBER ? new java.math.BigDecimal(n.text()) : null;
                } catch (NumberFormatException e) {
                    hours = null;
                }
                if (hours == null || hours.signum() < 0) {
                    throw error(n, "expected a number of hours after RETAIN but found " + n.describe());
                }
                expect("HOURS");
                retention = Optional.of(java.time.Duration.ofMillis(
                        hours.multiply(java.math.BigDecimal.valueOf(3_600_000L)).longValue()));
            } else if (accept("DRY")) {
                once(dryRun, t, "DRY RUN");
                expect("RUN");
                dryRun = true;
            } else if (accept("LITE") || accept("FULL")) {
                once(lite != null, t, "LITE / FULL");
                lite = t.isKeyword("LITE");
            } else {
                throw error(t, "unexpected " + t.describe() + "; VACUUM takes [LITE | FULL] [RETAIN n HOURS] [DRY RUN]");
            }
        }
        return new DdlStatement.Vacuum(table, retention, dryRun, lite != null && lite);
    }

    /**
     * {@code col op literal [AND col op literal ...]}: the only predicates maintenance statements take, as they
     * select partitions (the executor checks the columns are partition columns).
     */
    private List<DdlStatement.PartitionCondition> partitionPredicate() {
        List<DdlStatement.PartitionCondition> out = new ArrayList<>();
        do {
            Token start = peek();
            if (!start.isIdentifier()) {
                throw unsupportedPredicate(start);
            }
            String column = identifier("partition column");
            dev.tarn.txlog.skipping.Predicate.Op op = comparison();
            boolean negative = acceptSymbol("-");
            Token literal = next();
            boolean ok = switch (literal.kind()) {
                case NUMBER -> true;
                case STRING -> !negative;
                case WORD -> !negative && (literal.isKeyword("TRUE") || literal.isKeyword("FALSE"));
                default -> false;
            };
            if (!ok) {
                throw unsupportedPredicate(literal);
            }
            out.add(new DdlStatement.PartitionCondition(column, op, literal, negative));
        } while (accept("AND"));
        Token after = peek();
        if (after.isKeyword("OR") || after.isKeyword("NOT") || after.isSymbol("(") || after.isKeyword("IS")
                || after.isKeyword("IN")) {
            throw unsupportedPredicate(after);
        }
        return out;
    }

    private dev.tarn.txlog.skipping.Predicate.Op comparison() {
        Token t = next();
        if (t.isSymbol("=")) {
            acceptSymbol("="); // ==
            return dev.tarn.txlog.skipping.Predicate.Op.EQ;
        }
        if (t.isSymbol("!") && acceptSymbol("=")) {
            return dev.tarn.txlog.skipping.Predicate.Op.NE;
        }
        if (t.isSymbol("<")) {
            if (acceptSymbol("=")) {
                return dev.tarn.txlog.skipping.Predicate.Op.LE;
            }
            return acceptSymbol(">") ? dev.tarn.txlog.skipping.Predicate.Op.NE : dev.tarn.txlog.skipping.Predicate.Op.LT;
        }
        if (t.isSymbol(">")) {
            return acceptSymbol("=") ? dev.tarn.txlog.skipping.Predicate.Op.GE : dev.tarn.txlog.skipping.Predicate.Op.GT;
        }
        throw unsupportedPredicate(t);
    }

    private TarnException unsupportedPredicate(Token at) {
        return new TarnException(ErrorCode.UNSUPPORTED_STATEMENT, "Unsupported partition predicate at "
                + position(at.start()) + " (near " + at.describe() + "): maintenance statements take only "
                + "'column op literal' comparisons (=, <>, !=, <, <=, >, >=) over partition columns, joined by AND");
    }

    /**
     * {@code DESCRIBE [TABLE] t}, {@code DESCRIBE HISTORY t [LIMIT n]} or {@code DESCRIBE DETAIL t}. HISTORY and
     * DETAIL are keywords only when a table name follows, so a table called {@code history} can still be described.
     */
    private DdlStatement describe() {
        Token next = tokens.size() > index + 1 ? tokens.get(index + 1) : peek();
        if (peek().isKeyword("HISTORY") && next.isIdentifier()) {
            next();
            TableName table = tableName();
            java.util.OptionalLong limit = java.util.OptionalLong.empty();
            if (accept("LIMIT")) {
                limit = java.util.OptionalLong.of(integer("history limit", 0, Integer.MAX_VALUE));
            }
            return new DdlStatement.DescribeHistory(table, limit);
        }
        if (peek().isKeyword("DETAIL") && next.isIdentifier()) {
            next();
            return new DdlStatement.DescribeDetail(tableName());
        }
        accept("TABLE");
        return new DdlStatement.Describe(tableName());
    }

    /** {@code SET TIME ZONE 'zone' | LOCAL} or {@code SET spark.sql.session.timeZone [=] zone}. */
    private DdlStatement setTimeZone() {
        if (accept("TIME")) {
            expect("ZONE");
        } else {
            index += 7; // spark . sql . session . timeZone, checked by isDdl
            acceptSymbol("=");
        }
        if (accept("LOCAL")) {
            return new DdlStatement.SetTimeZone(Optional.empty());
        }
        Token t = next();
        if (t.kind() == Token.Kind.STRING) {
            return new DdlStatement.SetTimeZone(Optional.of(t.text()));
        }
        if (t.kind() == Token.Kind.WORD) {
            // Unquoted zone names run to the end of the statement: America/Los_Angeles, Etc/GMT+8
            String zone = sql.substring(t.start()).strip();
            if (zone.endsWith(";")) {
                zone = zone.substring(0, zone.length() - 1).strip();
            }
            index = tokens.size() - 1;
            return new DdlStatement.SetTimeZone(Optional.of(zone));
        }
        throw error(t, "expected a time zone such as 'America/Los_Angeles', 'UTC', '+02:00' or LOCAL but found "
                + t.describe());
    }

    private DdlStatement createSchema() {
        expectSchemaKeyword();
        boolean ifNotExists = ifNotExists();
        String name = identifier("schema name");
        while (peek().kind() != Token.Kind.END && !peek().isSymbol(";")) {
            // Spark allows COMMENT / LOCATION / WITH DBPROPERTIES here; Tarn's schemas are plain directories.
            throw error(peek(), "unexpected " + peek().describe() + "; CREATE SCHEMA takes only a name");
        }
        return new DdlStatement.CreateSchema(name, ifNotExists);
    }

    private DdlStatement dropSchema() {
        expectSchemaKeyword();
        boolean ifExists = ifExists();
        String name = identifier("schema name");
        boolean cascade = accept("CASCADE");
        if (!cascade) {
            accept("RESTRICT");
        }
        return new DdlStatement.DropSchema(name, ifExists, cascade);
    }

    private void expectSchemaKeyword() {
        if (!(accept("SCHEMA") || accept("DATABASE") || accept("NAMESPACE"))) {
            throw error(peek(), "expected SCHEMA, DATABASE or TABLE but found " + peek().describe());
        }
    }

    private DdlStatement dropTable() {
        boolean ifExists = ifExists();
        TableName table = tableName();
        accept("PURGE");
        return new DdlStatement.DropTable(table, ifExists);
    }

    private DdlStatement show() {
        if (accept("SCHEMAS") || accept("DATABASES") || accept("NAMESPACES")) {
            return new DdlStatement.ShowSchemas();
        }
        if (accept("TABLES")) {
            Optional<String> schema = Optional.empty();
            if (accept("IN") || accept("FROM")) {
                schema = Optional.of(identifier("schema name"));
            }
            return new DdlStatement.ShowTables(schema);
        }
        throw error(peek(), "expected SCHEMAS, DATABASES or TABLES after SHOW but found " + peek().describe());
    }

    private DdlStatement createTable() {
        boolean ifNotExists = ifNotExists();
        TableName table = tableName();
        List<ColumnDefinition> columns = null;
        if (acceptSymbol("(")) {
            columns = columnDefinitions();
        }
        TableOptions options = tableOptions(columns);
        if (peek().isKeyword("AS")) {
            Token as = next();
            if (columns != null) {
                throw error(as, "CREATE TABLE ... AS SELECT takes its columns from the query; remove the column list");
            }
            Token queryStart = peek();
            if (queryStart.kind() == Token.Kind.END) {
                throw error(queryStart, "expected a query after AS");
            }
            String query = sql.substring(queryStart.start()).strip();
            if (query.endsWith(";")) {
                query = query.substring(0, query.length() - 1).strip();
            }
            index = tokens.size() - 1;
            return new DdlStatement.CreateTableAsSelect(table, ifNotExists, options, query, position(queryStart.start()));
        }
        if (columns == null) {
            throw error(peek(), "expected a column list or AS <query> but found " + peek().describe());
        }
        return new DdlStatement.CreateTable(table, ifNotExists, columns, options);
    }

    private List<ColumnDefinition> columnDefinitions() {
        List<ColumnDefinition> columns = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        do {
            Token nameToken = peek();
            String name = identifier("column name");
            if (!seen.add(name.toLowerCase(Locale.ROOT))) {
                throw new TarnException(ErrorCode.VALIDATION_ERROR,
                        "Column " + name + " is defined twice (" + position(nameToken.start()) + ")");
            }
            DataType type = dataType();
            boolean nullable = true;
            Optional<String> comment = Optional.empty();
            Map<String, Object> generated = Map.of();
            while (true) {
                if (accept("NOT")) {
                    expect("NULL");
                    nullable = false;
                } else if (accept("COMMENT")) {
                    comment = Optional.of(string("column comment"));
                } else if (peek().isKeyword("GENERATED") && generated.isEmpty()) {
                    AlterTableParser clause = new AlterTableParser(sql, tokens, index);
                    generated = clause.generatedColumn(name, type);
                    index = clause.index();
                } else {
                    break;
                }
            }
            columns.add(new ColumnDefinition(name, type, nullable, comment, generated));
        } while (acceptSymbol(","));
        expectSymbol(")");
        return columns;
    }

    private TableOptions tableOptions(List<ColumnDefinition> columns) {
        List<String> partitionColumns = new ArrayList<>();
        Optional<String> comment = Optional.empty();
        Map<String, String> properties = new LinkedHashMap<>();
        boolean seenUsing = false;
        boolean seenPartition = false;
        boolean seenProperties = false;
        List<List<String>> clusterBy = List.of();
        while (true) {
            Token t = peek();
            if (accept("USING")) {
                once(seenUsing, t, "USING");
                seenUsing = true;
                Token format = peek();
                String f = identifier("table format");
                if (!f.equalsIgnoreCase("delta")) {
                    throw new TarnException(ErrorCode.UNSUPPORTED_FEATURE,
                            "Only Delta tables are supported, not USING " + f + " (" + position(format.start()) + ")");
                }
            } else if (accept("PARTITIONED")) {
                once(seenPartition, t, "PARTITIONED BY");
                seenPartition = true;
                expect("BY");
                expectSymbol("(");
                do {
                    Token colToken = peek();
                    String col = identifier("partition column");
                    if (peek().isIdentifier() && !peek().isSymbol(",")) {
                        throw error(peek(), "PARTITIONED BY lists column names only; define " + col
                                + " with its type in the column list");
                    }
                    for (String existing : partitionColumns) {
                        if (existing.equalsIgnoreCase(col)) {
                            throw new TarnException(ErrorCode.VALIDATION_ERROR, "Partition column " + col
                                    + " is listed twice (" + position(colToken.start()) + ")");
                        }
                    }
                    partitionColumns.add(col);
                } while (acceptSymbol(","));
                expectSymbol(")");
            } else if (accept("CLUSTER")) {
                once(!clusterBy.isEmpty(), t, "CLUSTER BY");
                expect("BY");
                clusterBy = clusteringColumns();
            } else if (accept("COMMENT")) {
                if (comment.isPresent()) {
                    throw error(t, "COMMENT is given twice");
                }
                comment = Optional.of(string("table comment"));
            } else if (accept("TBLPROPERTIES")) {
                once(seenProperties, t, "TBLPROPERTIES");
                seenProperties = true;
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
            } else {
                break;
            }
        }
        if (!clusterBy.isEmpty() && !partitionColumns.isEmpty()) {
            throw new TarnException(ErrorCode.VALIDATION_ERROR, "A table cannot be both partitioned (PARTITIONED BY "
                    + partitionColumns + ") and clustered (CLUSTER BY); choose one");
        }
        return new TableOptions(partitionColumns, comment, properties, clusterBy);
    }

    private void once(boolean seen, Token t, String clause) {
        if (seen) {
            throw error(t, clause + " is given twice");
        }
    }

    /** Parses a column type at token {@code at[0]} of {@code tokens}; leaves {@code at[0]} just past it. */
    static DataType dataTypeAt(String sql, List<Token> tokens, int[] at) {
        DdlParser p = new DdlParser(sql, tokens);
        p.index = at[0];
        DataType type = p.dataType();
        at[0] = p.index;
        return type;
    }

    /** Parses a column type; every alias Spark accepts maps to one Delta type. */
    DataType dataType() {
        Token t = peek();
        String name = identifier("column type").toUpperCase(Locale.ROOT);
        return switch (name) {
            case "BOOLEAN" -> PrimitiveType.BOOLEAN;
            case "TINYINT", "BYTE" -> PrimitiveType.BYTE;
            case "SMALLINT", "SHORT" -> PrimitiveType.SHORT;
            case "INT", "INTEGER" -> PrimitiveType.INTEGER;
            case "BIGINT", "LONG" -> PrimitiveType.LONG;
            case "FLOAT", "REAL" -> PrimitiveType.FLOAT;
            case "DOUBLE" -> {
                accept("PRECISION");
                yield PrimitiveType.DOUBLE;
            }
            case "STRING" -> PrimitiveType.STRING;
            case "VARCHAR", "CHAR", "CHARACTER" -> {
                // Stored as STRING, as Delta does for char/varchar; the length is checked but not enforced.
                expectSymbol("(");
                integer("length", 1, Integer.MAX_VALUE);
                expectSymbol(")");
                yield PrimitiveType.STRING;
            }
            case "BINARY" -> PrimitiveType.BINARY;
            case "DATE" -> PrimitiveType.DATE;
            case "TIMESTAMP", "TIMESTAMP_LTZ" -> PrimitiveType.TIMESTAMP;
            case "TIMESTAMP_NTZ" -> PrimitiveType.TIMESTAMP_NTZ;
            case "VOID" -> PrimitiveType.VOID;
            case "DECIMAL", "DEC", "NUMERIC" -> decimal(t);
            case "ARRAY" -> {
                expectSymbol("<");
                DataType element = dataType();
                expectSymbol(">");
                yield new ArrayType(element, true);
            }
            case "MAP" -> {
                expectSymbol("<");
                DataType key = dataType();
                expectSymbol(",");
                DataType value = dataType();
                expectSymbol(">");
                yield new MapType(key, value, true);
            }
            case "STRUCT" -> struct();
            default -> throw error(t, "unknown column type " + t.text());
        };
    }

    private DataType decimal(Token at) {
        if (!acceptSymbol("(")) {
            return new DecimalType(10, 0);
        }
        int precision = integer("DECIMAL precision", 1, DecimalType.MAX_PRECISION);
        int scale = 0;
        if (acceptSymbol(",")) {
            scale = integer("DECIMAL scale", 0, DecimalType.MAX_PRECISION);
        }
        expectSymbol(")");
        if (scale > precision) {
            throw error(at, "DECIMAL scale " + scale + " is larger than its precision " + precision);
        }
        return new DecimalType(precision, scale);
    }

    private DataType struct() {
        expectSymbol("<");
        List<StructField> fields = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        if (!peek().isSymbol(">")) {
            do {
                Token nameToken = peek();
                String name = identifier("struct field name");
                if (!seen.add(name.toLowerCase(Locale.ROOT))) {
                    throw error(nameToken, "struct field " + name + " is defined twice");
                }
                acceptSymbol(":");
                DataType type = dataType();
                boolean nullable = true;
                Map<String, Object> metadata = new LinkedHashMap<>();
                while (true) {
                    if (accept("NOT")) {
                        expect("NULL");
                        nullable = false;
                    } else if (accept("COMMENT")) {
                        metadata.put(StructField.COMMENT, string("field comment"));
                    } else {
                        break;
                    }
                }
                fields.add(new StructField(name, type, nullable, metadata));
            } while (acceptSymbol(","));
        }
        expectSymbol(">");
        return new StructType(fields);
    }

    private int integer(String what, int min, int max) {
        Token t = next();
        if (t.kind() != Token.Kind.NUMBER) {
            throw error(t, "expected " + what + " but found " + t.describe());
        }
        int v;
        try {
            v = Integer.parseInt(t.text());
        } catch (NumberFormatException e) {
            throw error(t, what + " must be an integer, got " + t.text());
        }
        if (v < min || v > max) {
            throw error(t, what + " must be between " + min + " and " + max + ", got " + v);
        }
        return v;
    }

    private TableName tableName() {
        Token first = peek();
        String a = identifier("table name");
        if (!acceptSymbol(".")) {
            return TableName.of(null, a);
        }
        Token second = peek();
        String b = identifier("table name");
        if (acceptSymbol(".")) {
            throw error(peek(), "table names have at most two parts (schema.table)");
        }
        // delta.`/abs/path` names a table by location, as in Spark; a schema named "delta" still works for
        // plain names.
        if (first.kind() == Token.Kind.WORD && a.equalsIgnoreCase("delta")
                && second.kind() == Token.Kind.QUOTED_IDENTIFIER && looksLikePath(b)) {
            return TableName.ofPath(b);
        }
        return TableName.of(a, b);
    }

    static boolean looksLikePath(String s) {
        return s.startsWith("/") || s.startsWith("file:") || s.matches("^[A-Za-z]:[\\\\/].*");
    }

    private boolean ifNotExists() {
        if (accept("IF")) {
            expect("NOT");
            expect("EXISTS");
            return true;
        }
        return false;
    }

    private boolean ifExists() {
        if (accept("IF")) {
            expect("EXISTS");
            return true;
        }
        return false;
    }

    private String position(int offset) {
        return positionOf(sql, offset);
    }

    public static TarnException syntaxError(String sql, int offset, String message) {
        return new TarnException(ErrorCode.SYNTAX_ERROR, "Syntax error at " + positionOf(sql, offset) + ": " + message);
    }

    /** {@code line L, column C}, both from 1. */
    public static String positionOf(String sql, int offset) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < offset && i < sql.length(); i++) {
            if (sql.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return "line " + line + ", column " + column;
    }
}

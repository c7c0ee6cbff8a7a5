package dev.tarn.shell.internal;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.TarnException;
import dev.tarn.query.CatalogView;
import dev.tarn.query.TableInfo;
import dev.tarn.txlog.types.StructField;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;

/**
 * The line-by-line core of the interactive shell, independent of how lines arrive: statements collect until a
 * {@code ;} outside quotes and comments; a line starting with {@code .} while no statement is open is a meta
 * command. Errors are printed and the shell goes on.
 */
public final class ShellLoop {
    /** What the caller should do after a line. */
    public enum Next { CONTINUE, QUIT }

    static final String HELP = String.join("\n",
            "Enter SQL statements ending with ';' (they may span lines). Meta commands:",
            "  .tables              list the tables of the current schema",
            "  .schema [TABLE]      show CREATE TABLE for every table of the schema, or one",
            "  .mode table|csv|jsonl  choose the output format",
            "  .timer on|off        print each statement's run time",
            "  .help                this text",
            "  .quit                leave (Ctrl-D works too); Ctrl-C cancels a running statement");

    private final StatementRunner runner;
    private final PrintWriter out;
    private final PrintWriter err;
    private final StringBuilder pending = new StringBuilder();
    private int statementCount;
    private boolean anyFailed;

    public ShellLoop(StatementRunner runner, PrintWriter out, PrintWriter err) {
        this.runner = requireNonNull(runner, "runner is null");
        this.out = requireNonNull(out, "out is null");
        this.err = requireNonNull(err, "err is null");
    }

    /** Whether a statement is open (the prompt shows a continuation). */
    public boolean inStatement() {
        return !StatementSplitter.isBlank(pending.toString());
    }

    public boolean anyFailed() {
        return anyFailed;
    }

    public String prompt() {
        return "tarn:" + runner.session().currentSchema() + "> ";
    }

    public String continuationPrompt() {
        return " ".repeat(Math.max(0, prompt().length() - 5)) + "...> ";
    }

    /** Drops a half-typed statement (Ctrl-C at the prompt). */
    public void clearPending() {
        pending.setLength(0);
    }

    public Next line(String line) {
        if (!inStatement() && line.strip().startsWith(".")) {
            pending.setLength(0);
            return meta(line.strip());
        }
        pending.append(line).append('\n');
        StatementSplitter.Split split = StatementSplitter.split(pending.toString());
        pending.setLength(0);
        if (split.hasPartialStatement()) {
            pending.append(split.remainder());
        }
        for (String statement : split.statements()) {
            run(statement);
        }
        return Next.CONTINUE;
    }

    /** At end of input: runs a last statement that lacks its {@code ;}. */
    public void finish() {
        if (inStatement()) {
            String last = pending.toString().strip();
            pending.setLength(0);
            run(last);
        }
    }

    private void run(String statement) {
        if (!runner.run(statement, ++statementCount)) {
            anyFailed = true;
        }
    }

    private Next meta(String command) {
        String[] words = command.split("\\s+");
        String name = words[0];
        try {
            switch (name) {
                case ".quit", ".exit", ".q" -> {
                    return Next.QUIT;
                }
                case ".help" -> out.println(HELP);
                case ".tables" -> tables();
                case ".schema" -> schema(words.length > 1 ? words[1] : null);
                case ".mode" -> {
                    if (words.length != 2) {
                        out.println("mode: " + runner.format().key());
                    } else {
                        Optional<OutputFormat> f = OutputFormat.parse(words[1]);
                        if (f.isPresent()) {
                            runner.setFormat(f.get());
                        } else {
                            error(".mode: unknown format '" + words[1] + "' (expected table, csv or jsonl)");
                        }
                    }
                }
                case ".timer" -> {
                    if (words.length == 2 && (words[1].equals("on") || words[1].equals("off"))) {
                        runner.setTiming(words[1].equals("on"));
                    } else {
                        error(".timer: expected on or off");
                    }
                }
                default -> error("Unknown command " + name + "; .help lists the commands");
            }
        } catch (TarnException e) {
            error(e.formattedMessage());
        }
        out.flush();
        return Next.CONTINUE;
    }

    private void error(String message) {
        out.flush();
        err.println(message);
        err.flush();
        anyFailed = true;
    }

    private void tables() {
        CatalogView catalog = runner.session().catalog();
        for (TableInfo t : catalog.tables(runner.session().currentSchema())) {
            out.println(t.name());
        }
    }

    private void schema(String table) {
        CatalogView catalog = runner.session().catalog();
        String schema = runner.session().currentSchema();
        if (table == null) {
            for (TableInfo t : catalog.tables(schema)) {
                out.println(createTable(t));
            }
            return;
        }
        String tableSchema = schema;
        String name = table;
        int dot = table.indexOf('.');
        if (dot > 0) {
            tableSchema = table.substring(0, dot);
            name = table.substring(dot + 1);
        }
        Optional<TableInfo> info = catalog.table(tableSchema, name);
        if (info.isEmpty()) {
            error(".schema: no table " + tableSchema + "." + name);
        } else {
            out.println(createTable(info.get()));
        }
    }

    /** A CREATE TABLE statement describing a table. */
    static String createTable(TableInfo t) {
        StringBuilder sb = new StringBuilder("CREATE TABLE ").append(t.schema()).append('.').append(t.name())
                .append(" (\n");
        List<StructField> fields = t.columns().fields();
        for (int i = 0; i < fields.size(); i++) {
            StructField f = fields.get(i);
            sb.append("  ").append(f.name()).append(' ').append(f.type().sqlName());
            if (!f.nullable()) {
                sb.append(" NOT NULL");
            }
            if (f.comment() != null) {
                sb.append(" COMMENT '").append(f.comment().replace("'", "''")).append('\'');
            }
            sb.append(i + 1 < fields.size() ? ",\n" : "\n");
        }
        sb.append(')');
        if (!t.partitionColumns().isEmpty()) {
            sb.append("\nPARTITIONED BY (").append(String.join(", ", t.partitionColumns())).append(')');
        }
        if (t.comment() != null && !t.comment().isEmpty()) {
            sb.append("\nCOMMENT '").append(t.comment().replace("'", "''")).append('\'');
        }
        return sb.append(';').toString();
    }
}

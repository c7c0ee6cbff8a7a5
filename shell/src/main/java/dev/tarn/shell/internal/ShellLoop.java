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
            "  .describe TABLE      the columns of a table (also \\d TABLE)",
            "  .history TABLE [N]   the table's commits, newest first (DESCRIBE HISTORY; N: at most N)",
            "  .mode [FORMAT]       show or choose the output format: table, csv, tsv, json, jsonl, markdown,",
            "                       vertical (\\x toggles vertical)",
            "  .timer on|off        print each statement's run time",
            "  .maxrows N           show at most N rows of a result (0: all)",
            "  .output [FILE]       write results to FILE; alone, back to the terminal",
            "  .read FILE           run the statements and commands in FILE",
            "  .explain             run the next statement as EXPLAIN",
            "  .analyze             run the next statement as EXPLAIN ANALYZE",
            "  .bail on|off         stop at the first error",
            "  .help                this text",
            "  .quit                leave (Ctrl-D works too); Ctrl-C cancels a running statement");
    private static final int MAX_READ_DEPTH = 16;

    private final StatementRunner runner;
    private final PrintWriter err;
    private final StringBuilder pending = new StringBuilder();
    private int statementCount;
    private boolean anyFailed;
    private boolean bail;
    private boolean bailed;
    private int errors;
    private String nextPrefix;
    private OutputFormat beforeVertical;
    private java.nio.file.Path workingDirectory = java.nio.file.Path.of("").toAbsolutePath();
    private int readDepth;
    private Runnable afterStatement = () -> { };

    public ShellLoop(StatementRunner runner, PrintWriter out, PrintWriter err) {
        this.runner = requireNonNull(runner, "runner is null");
        requireNonNull(out, "out is null");
        this.err = requireNonNull(err, "err is null");
    }

    /** Relative paths in {@code .read} and {@code .output} resolve against this directory. */
    public void setWorkingDirectory(java.nio.file.Path dir) {
        this.workingDirectory = requireNonNull(dir, "dir is null").toAbsolutePath();
    }

    /** Called after every statement (the completer forgets the names it loaded). */
    void setAfterStatement(Runnable r) {
        this.afterStatement = requireNonNull(r, "r is null");
    }

    /** Whether {@code .bail on} stopped the shell after an error. */
    public boolean bailed() {
        return bailed;
    }

    public StatementRunner runner() {
        return runner;
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
        String trimmed = line.strip();
        if (!inStatement() && (trimmed.startsWith(".") || trimmed.startsWith("\\"))) {
            pending.setLength(0);
            return meta(trimmed);
        }
        pending.append(line).append('\n');
        StatementSplitter.Split split = StatementSplitter.split(pending.toString());
        pending.setLength(0);
        if (split.hasPartialStatement()) {
            pending.append(split.remainder());
        }
        for (String statement : split.statements()) {
            if (!run(statement) && bail) {
                bailed = true;
                return Next.QUIT;
            }
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

    private boolean run(String statement) {
        String sql = statement;
        if (nextPrefix != null) {
            sql = nextPrefix + " " + statement;
            nextPrefix = null;
        }
        boolean ok = runner.run(sql, ++statementCount);
        afterStatement.run();
        if (!ok) {
            anyFailed = true;
        }
        return ok;
    }

    private Next meta(String command) {
        String[] words = command.split("\\s+");
        String name = words[0];
        PrintWriter out = runner.out();
        int errorsBefore = errors;
        try {
            switch (name) {
                case "\\x" -> {
                    if (runner.format() == OutputFormat.VERTICAL) {
                        runner.setFormat(beforeVertical == null ? OutputFormat.TABLE : beforeVertical);
                        out.println("Expanded display is off.");
                    } else {
                        beforeVertical = runner.format();
                        runner.setFormat(OutputFormat.VERTICAL);
                        out.println("Expanded display is on.");
                    }
                }
                case "\\d", ".describe" -> {
                    if (words.length != 2) {
                        error(name + ": expected a table name");
                    } else {
                        describe(words[1]);
                    }
                }
                case ".history" -> {
                    if (words.length < 2 || words.length > 3
                            || (words.length == 3 && !words[2].matches("\\d{1,9}"))) {
                        error(".history: expected a table name and an optional number of commits");
                    } else {
                        Optional<TableInfo> t = lookup(".history", words[1]);
                        if (t.isPresent()) {
                            // Through the engine, so it prints like any result and honours .mode and .output.
                            String sql = "DESCRIBE HISTORY " + quoted(t.get().schema()) + "." + quoted(t.get().name())
                                    + (words.length == 3 ? " LIMIT " + words[2] : "");
                            if (!runner.run(sql, ++statementCount)) {
                                anyFailed = true;
                                errors++;
                            }
                        }
                    }
                }
                case "\\q" -> {
                    return Next.QUIT;
                }
                case ".maxrows" -> {
                    if (words.length == 1) {
                        out.println("maxrows: " + runner.maxRows());
                    } else if (words.length == 2 && words[1].matches("\\d{1,18}")) {
                        runner.setMaxRows(Long.parseLong(words[1]));
                    } else {
                        error(".maxrows: expected a whole number (0 shows every row)");
                    }
                }
                case ".output" -> {
                    if (words.length == 1) {
                        runner.setOutput(null);
                    } else {
                        java.nio.file.Path file = workingDirectory.resolve(command.substring(name.length()).strip());
                        try {
                            runner.setOutput(new PrintWriter(java.nio.file.Files.newBufferedWriter(file,
                                    java.nio.charset.StandardCharsets.UTF_8), false));
                        } catch (java.io.IOException e) {
                            error(".output: cannot write " + file + ": " + e.getMessage());
                        }
                    }
                }
                case ".read" -> {
                    if (words.length < 2) {
                        error(".read: expected a file name");
                    } else {
                        return read(workingDirectory.resolve(command.substring(name.length()).strip()));
                    }
                }
                case ".explain", ".analyze" -> {
                    nextPrefix = name.equals(".explain") ? "EXPLAIN" : "EXPLAIN ANALYZE";
                    out.println("The next statement runs as " + nextPrefix + ".");
                }
                case ".bail" -> {
                    if (words.length == 2 && (words[1].equals("on") || words[1].equals("off"))) {
                        bail = words[1].equals("on");
                    } else {
                        error(".bail: expected on or off");
                    }
                }
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
                            if (f.get() == OutputFormat.VERTICAL && runner.format() != OutputFormat.VERTICAL) {
                                beforeVertical = runner.format();
                            }
                            runner.setFormat(f.get());
                        } else {
                            error(".mode: unknown format '" + words[1] + "' (expected one of "
                                    + OutputFormat.keys() + ")");
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
        runner.out().flush();
        return bail && errors > errorsBefore ? quitAfterBail() : Next.CONTINUE;
    }

    private Next quitAfterBail() {
        bailed = true;
        return Next.QUIT;
    }

    /** Runs a file's lines as if typed; a statement left open at its end runs too. */
    private Next read(java.nio.file.Path file) {
        if (readDepth >= MAX_READ_DEPTH) {
            error(".read: files read each other more than " + MAX_READ_DEPTH + " deep; stopping at " + file);
            return Next.CONTINUE;
        }
        java.util.List<String> lines;
        try {
            lines = java.nio.file.Files.readAllLines(file, java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            error(".read: cannot read " + file + ": " + e.getMessage());
            return Next.CONTINUE;
        }
        readDepth++;
        try {
            for (String l : lines) {
                if (line(l) == Next.QUIT) {
                    return bailed ? Next.QUIT : Next.CONTINUE;
                }
            }
            finish();
            return bailed ? Next.QUIT : Next.CONTINUE;
        } finally {
            readDepth--;
        }
    }

    private void describe(String table) {
        Optional<TableInfo> info = lookup(".describe", table);
        if (info.isEmpty()) {
            return;
        }
        PrintWriter out = runner.out();
        List<StructField> fields = info.get().columns().fields();
        int nameWidth = "column".length();
        int typeWidth = "type".length();
        for (StructField f : fields) {
            nameWidth = Math.max(nameWidth, TableRenderer.displayWidth(f.name()));
            typeWidth = Math.max(typeWidth, f.type().sqlName().length());
        }
        String format = " %-" + nameWidth + "s | %-" + typeWidth + "s | %-8s | %s";
        out.println(String.format(format, "column", "type", "nullable", "comment").stripTrailing());
        out.println("-" + "-".repeat(nameWidth) + "-+-" + "-".repeat(typeWidth) + "-+----------+--------");
        for (StructField f : fields) {
            boolean partition = info.get().partitionColumns().contains(f.name());
            String comment = (f.comment() == null ? "" : f.comment()) + (partition ? " (partition column)" : "");
            out.println(String.format(format, f.name(), f.type().sqlName(), f.nullable() ? "yes" : "no",
                    comment.strip()).stripTrailing());
        }
    }

    /** A back-quoted identifier for Tarn's DDL statements. */
    private static String quoted(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    private Optional<TableInfo> lookup(String command, String table) {
        String tableSchema = runner.session().currentSchema();
        String name = table;
        int dot = table.indexOf('.');
        if (dot > 0) {
            tableSchema = table.substring(0, dot);
            name = table.substring(dot + 1);
        }
        Optional<TableInfo> info = runner.session().catalog().table(tableSchema, name);
        if (info.isEmpty()) {
            error(command + ": no table " + tableSchema + "." + name);
        }
        return info;
    }

    private void error(String message) {
        errors++;
        runner.out().flush();
        err.println(message);
        err.flush();
        anyFailed = true;
    }

    private void tables() {
        CatalogView catalog = runner.session().catalog();
        for (TableInfo t : catalog.tables(runner.session().currentSchema())) {
            runner.out().println(t.name());
        }
    }

    private void schema(String table) {
        CatalogView catalog = runner.session().catalog();
        String schema = runner.session().currentSchema();
        if (table == null) {
            for (TableInfo t : catalog.tables(schema)) {
                runner.out().println(createTable(t));
            }
            return;
        }
        lookup(".schema", table).ifPresent(t -> runner.out().println(createTable(t)));
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

package dev.tarn.shell.internal.maintenance;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tarn.error.TarnException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The whole outcome of one maintenance command: one report per table, or the error that stopped the command before
 * any table ran (the lake or the table not found). Decides the exit code and prints itself as one JSON document or
 * as text.
 *
 * @param command the command name
 * @param lake the lake directory
 * @param dryRun whether nothing was to be written
 * @param tables per table, in the order they ran
 * @param error what stopped the command before any table ran
 */
record CommandReport(String command, String lake, boolean dryRun, List<TableReport> tables, Optional<TarnException> error) {
    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    /** EX_TEMPFAIL of sysexits.h: a concurrent writer won; running again is safe. */
    static final int EXIT_RETRYABLE_CONFLICT = 75;

    CommandReport {
        requireNonNull(command, "command is null");
        requireNonNull(lake, "lake is null");
        tables = List.copyOf(requireNonNull(tables, "tables is null"));
        requireNonNull(error, "error is null");
    }

    /** 1 when anything failed, else 75 when a table lost a race, else 0 (also when there was nothing to do). */
    int exitCode() {
        if (error.isPresent() || tables.stream().anyMatch(t -> t.status() == TableReport.Status.FAILED)) {
            return EXIT_FAILED;
        }
        if (tables.stream().anyMatch(t -> t.status() == TableReport.Status.RETRYABLE_CONFLICT)) {
            return EXIT_RETRYABLE_CONFLICT;
        }
        return EXIT_OK;
    }

    String toJson() {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("command", command);
            g.writeStringField("lake", lake);
            g.writeBooleanField("dryRun", dryRun);
            g.writeNumberField("exitCode", exitCode());
            if (error.isPresent()) {
                g.writeObjectFieldStart("error");
                g.writeStringField("code", error.get().errorCode().name());
                g.writeStringField("message", error.get().getMessage());
                g.writeEndObject();
            } else {
                g.writeNullField("error");
            }
            g.writeArrayFieldStart("tables");
            for (TableReport t : tables) {
                writeTable(g, t);
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    private static void writeTable(JsonGenerator g, TableReport t) throws IOException {
        g.writeStartObject();
        g.writeStringField("table", t.table());
        g.writeStringField("location", t.location());
        g.writeStringField("status", t.status().name());
        g.writeNumberField("durationMillis", t.durationMillis());
        optionalString(g, "message", t.message());
        g.writeArrayFieldStart("operations");
        for (OperationReport op : t.operations()) {
            g.writeStartObject();
            g.writeStringField("operation", op.operation());
            g.writeStringField("outcome", op.outcome().name());
            g.writeArrayFieldStart("versionsCommitted");
            for (long v : op.versionsCommitted()) {
                g.writeNumber(v);
            }
            g.writeEndArray();
            g.writeNumberField("filesAdded", op.filesAdded());
            g.writeNumberField("filesRemoved", op.filesRemoved());
            g.writeNumberField("bytesAdded", op.bytesAdded());
            g.writeNumberField("bytesRemoved", op.bytesRemoved());
            g.writeNumberField("durationMillis", op.durationMillis());
            optionalString(g, "reason", op.reason());
            g.writeObjectFieldStart("details");
            for (Map.Entry<String, Object> d : op.details().entrySet()) {
                g.writeFieldName(d.getKey());
                writeValue(g, d.getValue());
            }
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void optionalString(JsonGenerator g, String name, Optional<String> value) throws IOException {
        if (value.isPresent()) {
            g.writeStringField(name, value.get());
        } else {
            g.writeNullField(name);
        }
    }

    private static void writeValue(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof Long || v instanceof Integer) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof Double d) {
            g.writeNumber(d);
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof List<?> list) {
            g.writeStartArray();
            for (Object o : list) {
                writeValue(g, o);
            }
            g.writeEndArray();
        } else {
            g.writeString(v.toString());
        }
    }

    /** Human output: a line per table, then one per operation. */
    void printText(PrintWriter out) {
        error.ifPresent(e -> out.println("error: " + e.formattedMessage()));
        for (TableReport t : tables) {
            out.println(t.table() + ": " + t.status().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                    + (dryRun ? " (dry run)" : "") + " in " + t.durationMillis() + " ms"
                    + t.message().map(m -> " - " + m).orElse(""));
            for (OperationReport op : t.operations()) {
                StringBuilder line = new StringBuilder(String.format("  %-10s %-9s", op.operation(),
                        op.outcome().name().toLowerCase(Locale.ROOT)));
                if (!op.versionsCommitted().isEmpty()) {
                    line.append(" committed version").append(op.versionsCommitted().size() > 1 ? "s " : " ")
                            .append(op.versionsCommitted().stream().map(String::valueOf)
                                    .collect(java.util.stream.Collectors.joining(", "))).append(";");
                }
                if (op.filesRemoved() > 0 || op.filesAdded() > 0) {
                    boolean vacuum = op.operation().equals("VACUUM");
                    boolean planned = op.outcome() == OperationReport.Outcome.PLANNED;
                    line.append(' ').append(op.filesRemoved()).append(" file(s) ").append(bytes(op.bytesRemoved()))
                            .append(vacuum ? (planned ? " to delete" : " deleted") : planned ? " to rewrite"
                                    : " removed, " + op.filesAdded() + " file(s) " + bytes(op.bytesAdded()) + " added")
                            .append(";");
                }
                op.reason().ifPresent(r -> line.append(' ').append(r));
                out.println(line.toString().stripTrailing());
                Object files = op.details().get("files");
                if (files instanceof List<?> list && op.outcome() == OperationReport.Outcome.PLANNED) {
                    for (Object f : list) {
                        out.println("    " + f);
                    }
                }
            }
        }
        out.flush();
    }

    private static String bytes(long n) {
        if (n < 1024) {
            return "(" + n + " B)";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "(%.1f %s)", v, units[u]);
    }
}

package dev.tarn.shell.internal;

import java.util.Locale;
import java.util.Optional;

/** The shell's output formats, each with its renderer. */
public enum OutputFormat {
    TABLE, CSV, TSV, JSON, JSONL, MARKDOWN, VERTICAL;

    public ResultRenderer renderer() {
        return renderer(RenderOptions.PLAIN);
    }

    public ResultRenderer renderer(RenderOptions options) {
        return switch (this) {
            case TABLE -> new TableRenderer(options);
            case CSV -> new CsvRenderer(options, false);
            case TSV -> new CsvRenderer(options, true);
            case JSON -> new JsonArrayRenderer(options);
            case JSONL -> new JsonlRenderer(options);
            case MARKDOWN -> new MarkdownRenderer(options);
            case VERTICAL -> new VerticalRenderer(options);
        };
    }

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Every format's key, for messages. */
    public static String keys() {
        StringBuilder sb = new StringBuilder();
        for (OutputFormat f : values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(f.key());
        }
        return sb.toString();
    }

    public static Optional<OutputFormat> parse(String s) {
        for (OutputFormat f : values()) {
            if (f.key().equals(s)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}

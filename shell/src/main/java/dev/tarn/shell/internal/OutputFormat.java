package dev.tarn.shell.internal;

import java.util.Locale;
import java.util.Optional;

/** The shell's output formats, each with its renderer. */
public enum OutputFormat {
    TABLE, CSV, JSONL;

    public ResultRenderer renderer() {
        return switch (this) {
            case TABLE -> new TableRenderer();
            case CSV -> new CsvRenderer();
            case JSONL -> new JsonlRenderer();
        };
    }

    public String key() {
        return name().toLowerCase(Locale.ROOT);
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

package dev.tarn.txlog.action;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/** The data file format of a table (PROTOCOL.md "Format Specification"); always {@code parquet} for Delta. */
public record Format(String provider, Map<String, String> options) {
    public static final Format PARQUET = new Format("parquet", Map.of());

    public Format {
        requireNonNull(provider, "provider is null");
        options = Map.copyOf(requireNonNull(options, "options is null"));
    }
}

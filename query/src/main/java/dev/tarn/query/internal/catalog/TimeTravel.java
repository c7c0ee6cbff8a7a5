package dev.tarn.query.internal.catalog;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which past version of a table a name asks for. Written as Delta's table-name suffix: {@code t@v3} (version 3) or
 * {@code t@20240101000000000} (the version current at that instant, {@code yyyyMMddHHmmssSSS} in UTC), so the SQL
 * front end can turn {@code t VERSION AS OF 3} / {@code t TIMESTAMP AS OF '...'} into a plain (quoted) table name
 * that the catalog resolves to a handle pinned at that snapshot.
 */
public sealed interface TimeTravel {
    /** {@code VERSION AS OF version}. */
    record Version(long version) implements TimeTravel {
        public Version {
            if (version < 0) {
                throw new IllegalArgumentException("version is negative: " + version);
            }
        }

        @Override
        public String suffix() {
            return "@v" + version;
        }

        @Override
        public String describe() {
            return "VERSION AS OF " + version;
        }
    }

    /** {@code TIMESTAMP AS OF instant}, at millisecond precision (as commit timestamps are). */
    record Timestamp(long epochMillis) implements TimeTravel {
        @Override
        public String suffix() {
            return "@" + SUFFIX_TIMESTAMP.format(Instant.ofEpochMilli(epochMillis));
        }

        @Override
        public String describe() {
            return "TIMESTAMP AS OF '" + Instant.ofEpochMilli(epochMillis) + "'";
        }
    }

    /** A table name split into the name proper and its time-travel suffix. */
    record Split(String name, TimeTravel timeTravel) {
        public Split {
            requireNonNull(name, "name is null");
            requireNonNull(timeTravel, "timeTravel is null");
        }
    }

    /** The suffix that selects this version, e.g. {@code @v3}. */
    String suffix();

    /** The clause as SQL writes it, for messages. */
    String describe();

    DateTimeFormatter SUFFIX_TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS").withZone(ZoneOffset.UTC);

    /**
     * The name without its suffix and the version the suffix selects, when {@code name} ends in {@code @v<n>} or
     * {@code @<yyyyMMddHHmmssSSS>}; empty otherwise.
     */
    static Optional<Split> split(String name) {
        requireNonNull(name, "name is null");
        // Compiled per call: only names that did not resolve as written get here.
        Matcher m = Pattern.compile("(?s)(.*)@(?:[vV](\\d{1,18})|(\\d{17}))").matcher(name);
        if (!m.matches() || m.group(1).isEmpty()) {
            return Optional.empty();
        }
        if (m.group(2) != null) {
            try {
                return Optional.of(new Split(m.group(1), new Version(Long.parseLong(m.group(2)))));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        try {
            LocalDateTime t = LocalDateTime.parse(m.group(3), DateTimeFormatter.ofPattern("uuuuMMddHHmmssSSS"));
            return Optional.of(new Split(m.group(1), new Timestamp(t.toInstant(ZoneOffset.UTC).toEpochMilli())));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}

package dev.tarn.query.internal.catalog;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The commits a change-data-feed read covers, as the SQL front end writes it into a table name: {@code
 * table_changes('t', 2, 5)} becomes the name {@code t@changes:v2:v5}, {@code table_changes('t', '2024-01-01')} becomes
 * {@code t@changes:20240101000000000} (instants in UTC, as {@link TimeTravel} writes them), which the catalog resolves
 * to a {@link ChangeFeedHandle}. Both bounds are inclusive; a missing end means "through the latest version". Both
 * bounds are versions or both are timestamps.
 *
 * @param start the first version, or the earliest commit timestamp
 * @param end the last version or latest commit timestamp, if bounded
 */
public record ChangeRange(TimeTravel start, Optional<TimeTravel> end) {
    private static final Pattern SUFFIX = Pattern.compile(
            "(?s)(.*)@changes:([vV]\\d{1,18}|\\d{17})(?::([vV]\\d{1,18}|\\d{17}))?");

    public ChangeRange {
        requireNonNull(start, "start is null");
        requireNonNull(end, "end is null");
        if (end.isPresent() && end.get().getClass() != start.getClass()) {
            throw new IllegalArgumentException("start and end must both be versions or both be timestamps");
        }
    }

    /** Whether the bounds are commit timestamps rather than versions. */
    public boolean byTimestamp() {
        return start instanceof TimeTravel.Timestamp;
    }

    /** The name suffix, e.g. {@code @changes:v2:v5}. */
    public String suffix() {
        return "@changes:" + bound(start) + end.map(e -> ":" + bound(e)).orElse("");
    }

    /** As SQL writes it, for messages: {@code table_changes(..., 2, 5)}. */
    public String describe() {
        return "changes from " + start.describe().replace(" AS OF", "") + end.map(e -> " to "
                + e.describe().replace(" AS OF", "")).orElse(" to the latest version");
    }

    private static String bound(TimeTravel t) {
        return t.suffix().substring(1); // "v3" or the 17 digits
    }

    /** A name split into the table name proper and the change range its suffix selects. */
    public record Split(String name, ChangeRange range) {
        public Split {
            requireNonNull(name, "name is null");
            requireNonNull(range, "range is null");
        }
    }

    /** The name without its {@code @changes:...} suffix and the range, when it has one; empty otherwise. */
    public static Optional<Split> split(String name) {
        requireNonNull(name, "name is null");
        if (!name.contains("@changes:")) {
            return Optional.empty();
        }
        Matcher m = SUFFIX.matcher(name);
        if (!m.matches() || m.group(1).isEmpty()) {
            return Optional.empty();
        }
        Optional<TimeTravel> start = bound(m.group(1), m.group(2));
        Optional<TimeTravel> end = m.group(3) == null ? Optional.empty() : bound(m.group(1), m.group(3));
        if (start.isEmpty() || (m.group(3) != null && end.isEmpty())
                || (end.isPresent() && end.get().getClass() != start.get().getClass())) {
            return Optional.empty();
        }
        return Optional.of(new Split(m.group(1), new ChangeRange(start.get(), end)));
    }

    private static Optional<TimeTravel> bound(String name, String text) {
        return TimeTravel.split(name + "@" + text).map(TimeTravel.Split::timeTravel);
    }
}

package dev.tarn.txlog;

import static java.util.Objects.requireNonNull;

/**
 * One commit a table's managing catalog has ratified (PROTOCOL.md "Catalog-managed tables", "Terminology: Commits":
 * a ratified commit is a staged commit the catalog recorded as the winner of its version). The catalog stores only
 * where the staged commit is, never its content.
 *
 * @param version the table version the commit creates
 * @param location the staged commit file: an absolute path or URI; a bare file name ({@code <version>.<uuid>.json}),
 *     found in the table's {@code _delta_log/_staged_commits} directory; or another path relative to
 *     {@code _delta_log}
 */
public record RatifiedCommit(long version, String location) {
    public RatifiedCommit {
        if (version < 0) {
            throw new IllegalArgumentException("version is negative: " + version);
        }
        requireNonNull(location, "location is null");
        if (location.isBlank()) {
            throw new IllegalArgumentException("location of ratified commit " + version + " is blank");
        }
    }
}

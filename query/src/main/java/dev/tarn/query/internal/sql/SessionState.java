package dev.tarn.query.internal.sql;

import static java.util.Objects.requireNonNull;

import dev.tarn.query.internal.catalog.LakeCatalog;
import java.time.ZoneId;

/** What planning needs to know of the session: where names resolve and the session time zone. */
public record SessionState(LakeCatalog catalog, String currentSchema, ZoneId timeZone) {
    public SessionState {
        requireNonNull(catalog, "catalog is null");
        requireNonNull(currentSchema, "currentSchema is null");
        requireNonNull(timeZone, "timeZone is null");
    }
}

package dev.tarn.query.internal.catalog;

import dev.tarn.txlog.CatalogCommits;
import java.util.Optional;

/**
 * Where catalog-managed tables get their ratified commits (PROTOCOL.md "Catalog-managed tables", "Reading
 * Catalog-managed Tables"): the client of the catalog that manages the table at a location, if any. Without one a
 * catalog-managed table is refused rather than misread from its published commits alone.
 */
@FunctionalInterface
public interface ManagingCatalogs {
    /** No table has a managing catalog. */
    ManagingCatalogs NONE = location -> Optional.empty();

    /** The managing catalog's commits for the table at {@code tableLocation} (absolute, normalized). */
    Optional<CatalogCommits> commitsFor(String tableLocation);
}

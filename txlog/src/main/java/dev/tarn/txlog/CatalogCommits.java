package dev.tarn.txlog;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The part of a managing catalog that Tarn needs to read a catalog-managed table (PROTOCOL.md "Catalog-managed
 * tables", "Reading Catalog-managed Tables"): the catalog's ratified commits. Attach one with
 * {@link TableLog#forPath(dev.tarn.storage.fs.FileIO, String, CatalogCommits)}; the log asks it once per snapshot
 * load, so an implementation backed by a live catalog sees new commits on the next load.
 *
 * <p>Only reading goes through the catalog: Tarn does not commit through catalogs, so transactions on a log with a
 * catalog attached are refused.
 */
@FunctionalInterface
public interface CatalogCommits {

    /** The catalog's current answer; called at the start of every snapshot load and commit listing. */
    RatifiedCommits ratifiedCommits();

    /** A catalog whose answer never changes (a table pinned at a version, tests). */
    static CatalogCommits of(long latestVersion, List<RatifiedCommit> commits) {
        RatifiedCommits answer = new RatifiedCommits(latestVersion, requireNonNull(commits, "commits is null"));
        return () -> answer;
    }
}

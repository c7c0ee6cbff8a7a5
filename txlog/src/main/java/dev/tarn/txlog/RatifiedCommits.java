package dev.tarn.txlog;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A catalog's answer about a catalog-managed table (PROTOCOL.md "Getting Ratified Commits from the Catalog"): the
 * latest ratified version, which is authoritative, and the ratified commits the catalog still stores because they
 * may not be published to {@code _delta_log} yet. The commits are ascending and contiguous and end at
 * {@code latestVersion}; the list is empty when every ratified commit is already published.
 */
public record RatifiedCommits(long latestVersion, List<RatifiedCommit> commits) {
    public RatifiedCommits {
        if (latestVersion < 0) {
            throw new IllegalArgumentException("latestVersion is negative: " + latestVersion);
        }
        commits = List.copyOf(requireNonNull(commits, "commits is null"));
        for (int i = 0; i < commits.size(); i++) {
            long expected = latestVersion - (commits.size() - 1 - i);
            if (commits.get(i).version() != expected) {
                throw new IllegalArgumentException("Ratified commits must be contiguous, ascending and end at the"
                        + " latest version " + latestVersion + "; got versions "
                        + commits.stream().map(RatifiedCommit::version).toList());
            }
        }
    }
}

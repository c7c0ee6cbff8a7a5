package dev.tarn.maintenance;

import static java.util.Objects.requireNonNull;

/**
 * Parameters of {@link MaintainTask}.
 *
 * @param dryRun decide and report, but commit, write and delete nothing
 * @param rewrite the options OPTIMIZE and PURGE run with: spill directory, sort memory, and a target file size that,
 *     when set, replaces {@code delta.targetFileSize} (also in the small-file count); zOrderBy, predicate and
 *     {@code full} are ignored, the policy decides them per table
 */
public record MaintainOptions(boolean dryRun, OptimizeOptions rewrite) {
    public MaintainOptions {
        requireNonNull(rewrite, "rewrite is null");
    }

    public static MaintainOptions defaults() {
        return new MaintainOptions(false, OptimizeOptions.defaults());
    }

    public MaintainOptions withDryRun(boolean d) {
        return new MaintainOptions(d, rewrite);
    }

    public MaintainOptions withRewrite(OptimizeOptions r) {
        return new MaintainOptions(dryRun, r);
    }
}

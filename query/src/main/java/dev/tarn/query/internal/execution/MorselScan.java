package dev.tarn.query.internal.execution;

import java.util.List;

/** A table scan that parallel workers can share: each instance reads the morsels it claims from a common source. */
public interface MorselScan {
    /**
     * The morsels {@code workers} parallel instances of this scan share, in the order a single-threaded scan reads
     * their rows (so reading them one after another returns the rows in that order).
     */
    List<?> morsels(int workers);

    /** Makes this instance read the morsels {@code worker} claims from {@code source}; called before open. */
    void readFrom(MorselSource source, int worker);

    /** The morsel of the last batch returned, or -1 before the first. */
    int currentMorsel();
}

package dev.tarn.query.internal.execution;

import java.util.List;

/** A table scan that parallel workers can share: each instance reads the morsels it claims from a common source. */
public interface MorselScan {
    /** The morsels this scan reads when alone, in the order a single-threaded scan reads them. */
    List<?> morsels();

    /** Makes this instance read the morsels {@code worker} claims from {@code source}; called before open. */
    void readFrom(MorselSource source, int worker);

    /** The morsel of the last batch returned, or -1 before the first. */
    int currentMorsel();
}

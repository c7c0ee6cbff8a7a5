package dev.tarn.txlog;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** The files a scan reads, and how many of the snapshot's files skipping left out. */
public record ScanPlan(List<ScanFile> files, int totalFiles, int skippedFiles) {
    public ScanPlan {
        files = List.copyOf(requireNonNull(files, "files is null"));
        if (totalFiles < 0 || skippedFiles < 0 || skippedFiles > totalFiles) {
            throw new IllegalArgumentException("inconsistent counts: total " + totalFiles + ", skipped " + skippedFiles);
        }
    }
}

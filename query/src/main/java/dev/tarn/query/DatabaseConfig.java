package dev.tarn.query;

import static java.util.Objects.requireNonNull;

import dev.tarn.storage.fs.FileIO;
import dev.tarn.storage.fs.LocalFileIO;
import java.nio.file.Path;

/**
 * How to open a lake.
 *
 * @param lake the lake directory
 * @param fileIO how files are read and written
 * @param createIfMissing create the lake directory (and schema {@code default}) when absent; otherwise a missing
 *     lake is an error ({@code LAKE_NOT_FOUND})
 * @param threads worker threads per query (at least 1): the default of each session's {@code SET threads}
 * @param queryMemoryLimitBytes per-query memory limit, the default of each session's {@code SET memory_limit};
 *     {@code Long.MAX_VALUE} for none
 */
public record DatabaseConfig(Path lake, FileIO fileIO, boolean createIfMissing, int threads, long queryMemoryLimitBytes) {
    public DatabaseConfig {
        requireNonNull(lake, "lake is null");
        requireNonNull(fileIO, "fileIO is null");
        lake = lake.toAbsolutePath().normalize();
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        if (queryMemoryLimitBytes <= 0) {
            throw new IllegalArgumentException("queryMemoryLimitBytes must be positive, got " + queryMemoryLimitBytes);
        }
    }

    /** Local files, the lake created when missing, all cores, no memory limit. */
    public static DatabaseConfig of(Path lake) {
        return new DatabaseConfig(lake, new LocalFileIO(), true, Runtime.getRuntime().availableProcessors(), Long.MAX_VALUE);
    }

    public DatabaseConfig withFileIO(FileIO io) {
        return new DatabaseConfig(lake, io, createIfMissing, threads, queryMemoryLimitBytes);
    }

    public DatabaseConfig withCreateIfMissing(boolean create) {
        return new DatabaseConfig(lake, fileIO, create, threads, queryMemoryLimitBytes);
    }

    public DatabaseConfig withThreads(int n) {
        return new DatabaseConfig(lake, fileIO, createIfMissing, n, queryMemoryLimitBytes);
    }

    public DatabaseConfig withQueryMemoryLimit(long bytes) {
        return new DatabaseConfig(lake, fileIO, createIfMissing, threads, bytes);
    }
}

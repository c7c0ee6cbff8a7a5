package dev.tarn.query.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import org.junit.jupiter.api.Test;

class StorageWarmupTest {
    @Test
    void writesAndReadsItsInMemoryParquetFileAndReleasesAllMemory() {
        // Its allocator's close() fails on memory still held, and the round trip through a real ZSTD Parquet file
        // fails on any mismatch between writer and reader: the warm-up swallows errors, so they are checked here.
        assertDoesNotThrow(StorageWarmup::run);
        assertDoesNotThrow(StorageWarmup::run, "it can run again (each run is self-contained)");
    }
}

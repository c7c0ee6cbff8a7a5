package dev.tarn.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Runs every benchmark body once on a small input, so benchmarks keep compiling and keep doing real work. */
class BenchmarkSmokeTest {
    @Test
    void parquetScanBenchmarkWritesAndScansAllRows() throws Exception {
        ParquetScanBenchmark b = new ParquetScanBenchmark();
        b.rows = 10_000;
        b.setUp();
        try {
            assertEquals(10_000, b.writeFile());
            assertEquals(10_000, b.scanAllColumns());
        } finally {
            b.tearDown();
        }
    }
}

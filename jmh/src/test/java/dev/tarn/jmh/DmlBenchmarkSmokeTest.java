package dev.tarn.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@link DmlBenchmark} once on a tiny lineitem, so it keeps compiling and measuring real statements. */
class DmlBenchmarkSmokeTest {
    @Test
    void measuresEveryStatementWithAndWithoutDeletionVectors(@TempDir Path dir) {
        List<DmlBenchmark.Result> results = DmlBenchmark.run(dir, 0.001, 1, new PrintStream(OutputStream.nullOutputStream()));
        assertEquals(6, results.size());
        for (DmlBenchmark.Result r : results) {
            assertTrue(r.rowsAffected() > 0, r.line());
            assertTrue(r.bytesWritten() > 0, r.line());
            if (r.deletionVectors() && r.name().startsWith("DELETE")) {
                assertTrue(r.deletionVectorsWritten() > 0 && r.addedFiles() == 0, r.line());
            }
            if (!r.deletionVectors()) {
                assertEquals(0, r.deletionVectorsWritten(), r.line());
                assertTrue(r.removedFiles() > 0 && r.addedFiles() > 0, "copy-on-write: " + r.line());
            }
        }
    }
}

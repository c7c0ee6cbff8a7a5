package dev.tarn.testdata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tarn.error.TarnException;
import dev.tarn.storage.fs.LocalFileIO;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestDataHarnessTest {
    private static final ObjectMapper M = new ObjectMapper();

    @Test
    void sharedDataIsFoundAndEveryExpectedFileParses() {
        List<ExpectedTable> tables = ExpectedTable.all();
        assertEquals(60, tables.size(), "the conformance README promises 60 tables");
        for (ExpectedTable t : tables) {
            assertFalse(t.expectations().isEmpty(), t.name() + " has no expectations");
        }
        assertTrue(Files.isDirectory(ExpectedTable.named("primitives").tableDir().resolve("_delta_log")));
    }

    @Test
    void propertyNamingAMissingDirectoryFails() {
        String old = System.getProperty(SharedTestData.PROPERTY);
        System.setProperty(SharedTestData.PROPERTY, "/nonexistent/tarn-test-data");
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, SharedTestData::root);
            assertTrue(e.getMessage().contains("/nonexistent/tarn-test-data"), e.getMessage());
        } finally {
            if (old == null) {
                System.clearProperty(SharedTestData.PROPERTY);
            } else {
                System.setProperty(SharedTestData.PROPERTY, old);
            }
        }
    }

    @Test
    void rowMatcherComparesAsMultisetWithNumericTolerance() throws Exception {
        List<JsonNode> expected = List.of(M.readTree("[1, 0.1, \"a\", [[1, 2], [3, 4]]]"), M.readTree("[2, null, \"b\", []]"));
        List<JsonNode> sameOtherOrder = List.of(M.readTree("[2, null, \"b\", []]"), M.readTree("[1, 0.10000000149, \"a\", [[3, 4], [1, 2]]]"));
        assertNull(RowMatcher.difference(expected, sameOtherOrder));
        List<JsonNode> wrongValue = List.of(M.readTree("[2, null, \"b\", []]"), M.readTree("[1, 0.2, \"a\", [[1, 2], [3, 4]]]"));
        assertNotNull(RowMatcher.difference(expected, wrongValue));
        assertNotNull(RowMatcher.difference(expected, List.of(expected.get(0))));
        assertNotNull(RowMatcher.difference(expected, List.of(expected.get(0), expected.get(0))));
    }

    @Test
    void countingFileIoCountsOpensAndFaultsAreInjected(@TempDir Path dir) {
        LocalFileIO local = new LocalFileIO();
        String a = dir.resolve("a.parquet").toString();
        assertTrue(local.createExclusive(a, "x".getBytes(StandardCharsets.UTF_8)));
        CountingFileIO counting = new CountingFileIO(local);
        counting.newInputFile(a).readAllBytes();
        counting.newInputFile(a).readAllBytes();
        assertEquals(2L, counting.openedFiles().get(a));
        assertEquals(1, counting.dataFilesOpened());

        FaultInjectingFileIO faulty = new FaultInjectingFileIO(local)
                .failWhen(FaultInjectingFileIO.Operation.CREATE_EXCLUSIVE, l -> l.endsWith(".json"));
        assertThrows(TarnException.class, () -> faulty.createExclusive(dir.resolve("0.json").toString(), new byte[0]));
        assertFalse(Files.exists(dir.resolve("0.json")));
    }
}

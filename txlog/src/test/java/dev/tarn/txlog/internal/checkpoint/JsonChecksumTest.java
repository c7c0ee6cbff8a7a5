package dev.tarn.txlog.internal.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tarn.testdata.ExpectedTable;
import dev.tarn.txlog.internal.json.ActionJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code _last_checkpoint} checksum (PROTOCOL.md "JSON checksum"), against the spec's example and real files. */
class JsonChecksumTest {
    @Test
    void specExample() throws Exception {
        JsonNode json = ActionJson.MAPPER.readTree("{\"k0\":\"'v 0'\", \"checksum\": \"adsaskfljadfkjadfkj\", \"k1\":"
                + "{\"k2\": 2, \"k3\": [\"v3\", [1, 2], {\"k4\": \"v4\", \"k5\": [\"v5\", \"v6\", \"v7\"]}]}}");
        assertEquals("\"k0\"=\"%27v%200%27\",\"k1\"+\"k2\"=2,\"k1\"+\"k3\"+0=\"v3\",\"k1\"+\"k3\"+1+0=1,"
                + "\"k1\"+\"k3\"+1+1=2,\"k1\"+\"k3\"+2+\"k4\"=\"v4\",\"k1\"+\"k3\"+2+\"k5\"+0=\"v5\","
                + "\"k1\"+\"k3\"+2+\"k5\"+1=\"v6\",\"k1\"+\"k3\"+2+\"k5\"+2=\"v7\"", JsonChecksum.canonical(json));
        assertEquals("6a92d155a59bf2eecbd4b4ec7fd1f875", JsonChecksum.of(json));
    }

    @Test
    void checksumsWrittenByDeltaSpark() throws Exception {
        List<String> checked = new ArrayList<>();
        for (ExpectedTable t : ExpectedTable.all()) {
            Path file = t.tableDir().resolve("_delta_log/_last_checkpoint");
            if (!Files.isRegularFile(file)) {
                continue;
            }
            JsonNode json;
            try {
                json = ActionJson.MAPPER.readTree(Files.readString(file));
            } catch (Exception e) {
                continue; // the deliberately corrupted one
            }
            if (json != null && json.path("checksum").isTextual()) {
                assertEquals(json.get("checksum").asText(), JsonChecksum.of(json), file.toString());
                checked.add(t.name());
            }
        }
        assertTrue(checked.size() >= 10, "checked " + checked);
    }
}

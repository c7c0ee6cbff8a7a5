package dev.tarn.query.internal.ddl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TablePropertiesTest {

    @Test
    void knownKeysAreNormalizedAndUserKeysPassThrough() {
        Map<String, String> in = new LinkedHashMap<>();
        in.put("DELTA.APPENDONLY", "TRUE");
        in.put("delta.checkpointInterval", "10");
        in.put("delta.logRetentionDuration", "interval 30 days");
        in.put("delta.feature.deletionVectors", "supported");
        in.put("Owner", "Ann");
        assertEquals(Map.of("delta.appendOnly", "true", "delta.checkpointInterval", "10",
                "delta.logRetentionDuration", "interval 30 days", "delta.feature.deletionVectors", "supported",
                "Owner", "Ann"), TableProperties.validate(in));
    }

    @Test
    void unknownDeltaKeysAndBadValuesAreRejected() {
        assertInvalid("delta.appendOnyl", "true", "delta.appendOnyl");
        assertInvalid("delta.appendOnly", "yes", "true or false");
        assertInvalid("delta.checkpointInterval", "0", "positive");
        assertInvalid("delta.columnMapping.mode", "names", "none, name or id");
        assertInvalid("delta.feature.teleport", "supported", "teleport");
        assertInvalid("delta.logRetentionDuration", "30", "interval");
    }

    private static void assertInvalid(String key, String value, String messagePart) {
        TarnException e = assertThrows(TarnException.class, () -> TableProperties.validate(Map.of(key, value)));
        assertEquals(ErrorCode.INVALID_TABLE_PROPERTY, e.errorCode());
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
    }
}

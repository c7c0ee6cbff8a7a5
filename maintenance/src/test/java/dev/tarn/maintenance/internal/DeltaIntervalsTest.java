package dev.tarn.maintenance.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeltaIntervalsTest {
    @Test
    void parsesDeltaIntervalStrings() {
        assertEquals(Duration.ofDays(7), DeltaIntervals.parse("p", "interval 7 days"));
        assertEquals(Duration.ofDays(30), DeltaIntervals.parse("p", "INTERVAL 30 DAYS"));
        assertEquals(Duration.ofHours(168), DeltaIntervals.parse("p", "168 hours"));
        assertEquals(Duration.ofDays(1).plusHours(12), DeltaIntervals.parse("p", "interval 1 day 12 hours"));
        assertEquals(Duration.ofDays(14), DeltaIntervals.parse("p", "interval 2 weeks"));
        assertEquals(Duration.ofMillis(1500), DeltaIntervals.parse("p", "interval 1 second 500 milliseconds"));
    }

    @Test
    void refusesMonthsAndGarbageNamingTheProperty() {
        for (String bad : new String[] {"interval 1 month", "7", "interval days", "forever", ""}) {
            TarnException e = assertThrows(TarnException.class,
                    () -> DeltaIntervals.parse("delta.logRetentionDuration", bad), bad);
            assertEquals(ErrorCode.INVALID_TABLE_PROPERTY, e.errorCode());
            assertTrue(e.getMessage().contains("delta.logRetentionDuration"), e.getMessage());
        }
    }

    @Test
    void logNamesKnowEveryKindOfLogFile() {
        assertEquals(LogNames.Kind.COMMIT, LogNames.parse("00000000000000000003.json").kind());
        assertEquals(3, LogNames.parse("00000000000000000003.checkpoint.parquet").version());
        LogNames.LogName part = LogNames.parse("00000000000000000010.checkpoint.0000000002.0000000003.parquet");
        assertEquals(LogNames.Kind.MULTI_PART_CHECKPOINT, part.kind());
        assertEquals(2, part.part());
        assertEquals(3, part.parts());
        assertEquals(LogNames.Kind.V2_CHECKPOINT,
                LogNames.parse("00000000000000000002.checkpoint.80a083e8-7026-4e79-81be-64bd76c43a11.json").kind());
        assertEquals(4, LogNames.parse("00000000000000000001.00000000000000000004.compacted.json").version());
        assertEquals(LogNames.Kind.CHECKSUM, LogNames.parse("00000000000000000001.crc").kind());
        assertEquals(null, LogNames.parse("_last_checkpoint"));
        assertEquals(java.util.OptionalLong.of(10), LogNames.earliestReconstructable(java.util.List.of(
                "00000000000000000010.checkpoint.0000000001.0000000002.parquet",
                "00000000000000000010.checkpoint.0000000002.0000000002.parquet",
                "00000000000000000005.checkpoint.0000000001.0000000002.parquet", "00000000000000000011.json")));
    }
}

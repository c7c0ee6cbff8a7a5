package dev.tarn.txlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.txlog.action.Protocol;
import dev.tarn.txlog.internal.replay.TableFeatures;
import dev.tarn.txlog.types.PrimitiveType;
import dev.tarn.txlog.types.StructField;
import dev.tarn.txlog.types.StructType;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProtocolTest {
    @Test
    void newTablesGetTheProtocolDeltaSparkWrites() {
        assertEquals(new Protocol(1, 2), Protocol.forNewTable(Map.of()));
        assertEquals(new Protocol(1, 4), Protocol.forNewTable(Map.of("delta.enableChangeDataFeed", "true")));
        assertEquals(new Protocol(2, 5), Protocol.forNewTable(Map.of("delta.columnMapping.mode", "name")));
        assertEquals(new Protocol(3, 7, Set.of("deletionVectors"), Set.of("deletionVectors")),
                Protocol.forNewTable(Map.of("delta.enableDeletionVectors", "true")));
        assertEquals(new Protocol(3, 7, Set.of("deletionVectors"), Set.of("changeDataFeed", "deletionVectors")),
                Protocol.forNewTable(Map.of("delta.enableDeletionVectors", "true", "delta.enableChangeDataFeed", "true")));
        StructType ntz = StructType.of(new StructField("t", PrimitiveType.TIMESTAMP_NTZ, true));
        assertEquals(new Protocol(3, 7, Set.of("timestampNtz"), Set.of("timestampNtz")), Protocol.forNewTable(Map.of(), ntz));
        assertEquals(new Protocol(3, 7, Set.of("v2Checkpoint"), Set.of("v2Checkpoint")),
                Protocol.forNewTable(Map.of("delta.checkpointPolicy", "v2")));
        assertEquals(new Protocol(1, 7, Set.of(), Set.of("inCommitTimestamp")),
                Protocol.forNewTable(Map.of("delta.enableInCommitTimestamps", "true")));
        assertEquals(new Protocol(1, 7, Set.of(), Set.of("domainMetadata", "rowTracking")),
                Protocol.forNewTable(Map.of("delta.enableRowTracking", "true")));
        assertEquals(new Protocol(3, 7, Set.of("columnMapping", "deletionVectors"), Set.of("columnMapping", "deletionVectors")),
                Protocol.forNewTable(Map.of("delta.enableDeletionVectors", "true", "delta.columnMapping.mode", "id")));
    }

    @Test
    void mergeUpgradesExistingTables() {
        Protocol plain = new Protocol(1, 2);
        assertEquals(plain, plain.merge(Protocol.forNewTable(Map.of())));
        assertEquals(new Protocol(1, 4), plain.merge(Protocol.forNewTable(Map.of("delta.enableChangeDataFeed", "true"))));
        // Upgrading a legacy table to table features lists the features its versions implied.
        assertEquals(new Protocol(3, 7, Set.of("deletionVectors"), Set.of("appendOnly", "invariants", "deletionVectors")),
                plain.merge(Protocol.forNewTable(Map.of("delta.enableDeletionVectors", "true"))));
        Protocol dv = Protocol.forNewTable(Map.of("delta.enableDeletionVectors", "true"));
        assertEquals(dv, dv.merge(Protocol.forNewTable(Map.of())));
    }

    @Test
    void readerGate() {
        TableFeatures.checkReadable(new Protocol(3, 7, Set.of("deletionVectors", "columnMapping", "timestampNtz",
                "v2Checkpoint", "vacuumProtocolCheck", "typeWidening", "typeWidening-preview"), Set.of()), "t");
        TarnException unknown = assertThrows(TarnException.class,
                () -> TableFeatures.checkReadable(new Protocol(3, 7, Set.of("variantType"), Set.of()), "t"));
        assertEquals(ErrorCode.UNSUPPORTED_FEATURE, unknown.errorCode());
        assertEquals(true, unknown.getMessage().contains("variantType"));
        TarnException version = assertThrows(TarnException.class,
                () -> TableFeatures.checkReadable(new Protocol(4, 7), "t"));
        assertEquals(ErrorCode.UNSUPPORTED_PROTOCOL, version.errorCode());
    }

    @Test
    void writerGateIgnoresInactiveLegacyFeatures() {
        TableFeatures.checkWritable(new Protocol(1, 4), null, "t");
        TarnException e = assertThrows(TarnException.class,
                () -> TableFeatures.checkWritable(new Protocol(1, 7, Set.of(), Set.of("icebergCompatV2")), null, "t"));
        assertEquals(ErrorCode.UNSUPPORTED_FEATURE, e.errorCode());
    }
}

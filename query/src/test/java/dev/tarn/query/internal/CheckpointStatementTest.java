package dev.tarn.query.internal;

import static dev.tarn.query.internal.Lakes.rows;
import static dev.tarn.query.internal.Lakes.sorted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.QueryResult;
import dev.tarn.query.ResultColumn;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code CHECKPOINT t} runs the maintenance checkpoint and reports it as one row. */
class CheckpointStatementTest extends LakeTest {
    @BeforeEach
    void create() {
        session.execute("CREATE TABLE t (id INT, name STRING)").close();   // version 0
        session.execute("INSERT INTO t VALUES (1, 'a')").close();          // version 1
        session.execute("INSERT INTO t VALUES (2, 'b')").close();          // version 2
    }

    @Test
    void checkpointsTheLatestVersionOnce() {
        try (QueryResult r = session.execute("CHECKPOINT t")) {
            assertEquals(List.of("table", "version", "written", "actions", "sizeInBytes", "liveFiles", "skipReason",
                    "durationMillis"), r.columns().stream().map(ResultColumn::name).toList());
            List<String> row = rows(r);
            assertEquals(1, row.size(), row.toString());
            assertTrue(row.get(0).startsWith("[\"default.t\",2,true,"), row.toString());
            assertTrue(row.get(0).contains(",2,null,"), "two live files, no skip reason: " + row);
        }
        assertTrue(Files.exists(table("t").resolve("_delta_log/00000000000000000002.checkpoint.parquet")));
        assertTrue(Files.exists(table("t").resolve("_delta_log/_last_checkpoint")));
        List<String> again = rows(session.execute("checkpoint table default.T"));
        assertTrue(again.get(0).startsWith("[\"default.t\",2,false,-1,-1,-1,\"version 2 is already checkpointed\","),
                again.toString());
        assertEquals(List.of("[1,\"a\"]", "[2,\"b\"]"), sorted(rows(session.execute("SELECT * FROM t"))));
        session.execute("INSERT INTO t VALUES (3, 'c')").close();
        List<String> byPath = rows(session.execute("CHECKPOINT delta.`" + table("t") + "`"));
        assertTrue(byPath.get(0).contains(",3,true,"), byPath.toString());
        assertEquals(List.of("[1,\"a\"]", "[2,\"b\"]", "[3,\"c\"]"), sorted(rows(session.execute("SELECT * FROM t"))));
    }

    @Test
    void aMissingTableIsReported() {
        TarnException ex = assertThrows(TarnException.class, () -> session.execute("CHECKPOINT nope").close());
        assertEquals(ErrorCode.TABLE_NOT_FOUND, ex.errorCode(), ex.getMessage());
        assertTrue(ex.getMessage().contains("nope"), ex.getMessage());
    }
}

package dev.tarn.txlog.internal.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.txlog.action.Action;
import dev.tarn.txlog.action.AddFile;
import dev.tarn.txlog.action.CommitInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Commit files are parsed line by line straight from their UTF-8 bytes, exactly as the line-wise String route. */
class ActionJsonTest {
    private static final String ADD = "{\"add\":{\"path\":\"%s\",\"partitionValues\":{\"p\":\"%s\"},\"size\":%d,"
            + "\"modificationTime\":1,\"dataChange\":true,\"stats\":\"{\\\"numRecords\\\":%d}\"}}";

    private static List<Action> byLines(String text) {
        List<Action> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Action a = ActionJson.parseLine(lines[i], "f", i + 1);
            if (a != null) {
                out.add(a);
            }
        }
        return out;
    }

    @Test
    void bytesAndLinesGiveTheSameActions() {
        String text = "{\"commitInfo\":{\"operation\":\"WRITE\"}}\r\n"
                + ADD.formatted("d=\u00fc/part-\u4e2d\uD83D\uDE00.parquet", "\u00e9t\u00e9", 10, 3) + "\n"
                + "   \t\n"
                + "\u2003\u3000\n" // Unicode whitespace only: blank, as String.isBlank says
                + "\n"
                + ADD.formatted("plain.parquet", "x", 20, 4) + "\r\n"
                + "{\"unknownAction\":{\"a\":1}}";
        List<Action> fromBytes = ActionJson.parseFile(text.getBytes(StandardCharsets.UTF_8), "f");
        assertEquals(byLines(text), fromBytes);
        assertEquals(3, fromBytes.size());
        assertTrue(fromBytes.get(0) instanceof CommitInfo);
        AddFile first = (AddFile) fromBytes.get(1);
        assertEquals("d=\u00fc/part-\u4e2d\uD83D\uDE00.parquet", first.path());
        assertEquals("\u00e9t\u00e9", first.partitionValues().get("p"));
        assertEquals("{\"numRecords\":3}", first.stats());
        assertEquals(20, ((AddFile) fromBytes.get(2)).size());
    }

    @Test
    void emptyFileHasNoActions() {
        assertEquals(List.of(), ActionJson.parseFile(new byte[0], "f"));
        assertEquals(List.of(), ActionJson.parseFile("\n\n".getBytes(StandardCharsets.UTF_8), "f"));
    }

    @Test
    void errorsNameTheLineCountingBlankOnes() {
        String text = "{\"commitInfo\":{}}\n\n  \n{\"add\": {\"path\": \"b\",\n";
        TarnException e = assertThrows(TarnException.class,
                () -> ActionJson.parseFile(text.getBytes(StandardCharsets.UTF_8), "00000000000000000002.json"));
        assertEquals(ErrorCode.CORRUPT_LOG, e.errorCode());
        assertTrue(e.getMessage().contains("00000000000000000002.json line 4"), e.getMessage());

        String missing = "\n{\"add\":{\"path\":\"b.parquet\",\"partitionValues\":{}}}";
        e = assertThrows(TarnException.class, () -> ActionJson.parseFile(missing.getBytes(StandardCharsets.UTF_8), "g"));
        assertTrue(e.getMessage().contains("g line 2") && e.getMessage().contains("size"), e.getMessage());

        e = assertThrows(TarnException.class, () -> ActionJson.parseFile("[1]\n".getBytes(StandardCharsets.UTF_8), "h"));
        assertTrue(e.getMessage().contains("h line 1 is not a JSON object"), e.getMessage());
    }
}

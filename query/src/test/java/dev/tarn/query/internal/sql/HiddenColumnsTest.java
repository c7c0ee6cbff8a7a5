package dev.tarn.query.internal.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tarn.query.ResultColumn;
import dev.tarn.txlog.types.PrimitiveType;
import dev.tarn.txlog.types.StructField;
import dev.tarn.txlog.types.StructType;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Hidden columns (Spark's {@code _metadata}): selectable by name, absent from SELECT * and from INSERT. */
class HiddenColumnsTest extends EngineFixture {
    HiddenTable table;

    @BeforeEach
    void hiddenTable() {
        InMemoryTable data = new InMemoryTable("default.h", StructType.of(
                new StructField("id", PrimitiveType.INTEGER, false),
                new StructField("_metadata", HiddenTable.METADATA, false)), 2)
                .row(1L, Arrays.asList("f1.parquet", 10L))
                .row(2L, Arrays.asList("f1.parquet", 11L))
                .row(3L, Arrays.asList("f2.parquet", null));
        table = new HiddenTable(data);
        catalog.add("default", "h", table);
    }

    @Test
    void selectStarLeavesHiddenColumnsOut() {
        assertEquals(List.of(new ResultColumn("id", PrimitiveType.INTEGER, false)), plan("SELECT * FROM h").columns());
        assertEquals(List.of(row(1L), row(2L), row(3L)), query("SELECT * FROM h ORDER BY id"));
    }

    @Test
    void starsOverSubqueriesAndCtesLeaveHiddenColumnsOut() {
        List<ResultColumn> visible = List.of(new ResultColumn("id", PrimitiveType.INTEGER, false));
        assertEquals(visible, plan("SELECT * FROM (SELECT * FROM h) x").columns());
        assertEquals(visible, plan("SELECT x.* FROM (SELECT * FROM h WHERE id > 1) x").columns());
        assertEquals(visible, plan("WITH c AS (SELECT * FROM h) SELECT * FROM c").columns());
        assertEquals(List.of(new ResultColumn("id", PrimitiveType.INTEGER, false),
                new ResultColumn("id0", PrimitiveType.INTEGER, false)),
                plan("SELECT * FROM h JOIN (SELECT * FROM h) y ON h.id = y.id").columns());
        assertEquals(List.of(row(2L), row(3L)), query("SELECT * FROM (SELECT * FROM h WHERE id > 1) x ORDER BY id"));
    }

    @Test
    void hiddenFieldsByName() {
        assertEquals(List.of(row(1L, 10L, "f1.parquet"), row(2L, 11L, "f1.parquet"), row(3L, null, "f2.parquet")),
                query("SELECT id, _metadata.row_id, h._metadata.file_path FROM h ORDER BY id"));
        assertEquals(List.of(row("f1.parquet", 2L), row("f2.parquet", 1L)),
                query("SELECT _metadata.file_path, COUNT(*) FROM h GROUP BY _metadata.file_path ORDER BY 1"));
        assertEquals(List.of(row(2L)), query("SELECT id FROM h WHERE _metadata.row_id = 11"));
        int[] scanned = table.data.scannedColumns.get(table.data.scannedColumns.size() - 1);
        assertEquals(2, scanned.length, "the hidden column is scanned as index schema().size()");
        assertEquals(1, scanned[1]);
    }

    @Test
    void insertWritesVisibleColumnsOnly() {
        assertEquals(2L, insert("INSERT INTO h VALUES (7), (8)"));
        assertEquals(1L, insert("INSERT INTO h SELECT id FROM h WHERE id = 1"));
        assertEquals(List.of(row(7L), row(8L), row(1L)), table.appended.rowList());
    }
}

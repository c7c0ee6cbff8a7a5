package dev.tarn.query.internal.dml.merge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.internal.ddl.TableName;
import dev.tarn.query.internal.dml.merge.MergeSpec.Match;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The MERGE skeleton: clauses, their conditions and actions, and where each expression's text starts. */
class MergeParserTest {
    @Test
    void recognizesMergeByItsFirstWord() {
        assertTrue(MergeParser.isMerge("  merge into t using s on t.id = s.id when matched then delete"));
        assertFalse(MergeParser.isMerge("SELECT 'MERGE INTO'"));
        assertFalse(MergeParser.isMerge("MERGEX INTO t"));
    }

    @Test
    void everyClauseKindInOrder() {
        String sql = "MERGE INTO sales.t AS a USING (SELECT * FROM s WHERE x > 1) b ON a.id = b.id "
                + "WHEN MATCHED AND b.op = 'd' THEN DELETE "
                + "WHEN MATCHED AND b.op = CASE WHEN b.x > 2 THEN 'u' ELSE 'v' END THEN UPDATE SET a.v = b.v, w = f(b.v, 2) "
                + "WHEN MATCHED THEN UPDATE SET * "
                + "WHEN NOT MATCHED BY TARGET AND b.v IS NOT NULL THEN INSERT (id, v) VALUES (b.id, coalesce(b.v, 0)) "
                + "WHEN NOT MATCHED THEN INSERT * "
                + "WHEN NOT MATCHED BY SOURCE AND a.v < 0 THEN UPDATE SET v = 0 "
                + "WHEN NOT MATCHED BY SOURCE THEN DELETE;";
        MergeSpec spec = MergeParser.parse(sql);
        assertEquals(TableName.of("sales", "t"), spec.target());
        assertEquals(Optional.of("a"), spec.targetAlias());
        assertEquals("(SELECT * FROM s WHERE x > 1)", spec.source().sql());
        assertFalse(spec.sourceIsTable());
        assertEquals(Optional.of("b"), spec.sourceAlias());
        assertEquals("a.id = b.id", spec.condition().sql());
        assertEquals(sql.indexOf("a.id = b.id"), spec.condition().offset());
        List<MergeSpec.Clause> c = spec.clauses();
        assertEquals(7, c.size());
        assertEquals(List.of(Match.MATCHED, Match.MATCHED, Match.MATCHED, Match.NOT_MATCHED, Match.NOT_MATCHED,
                Match.NOT_MATCHED_BY_SOURCE, Match.NOT_MATCHED_BY_SOURCE), c.stream().map(MergeSpec.Clause::match).toList());
        assertInstanceOf(MergeSpec.Delete.class, c.get(0).action());
        assertEquals("b.op = 'd'", c.get(0).condition().orElseThrow().sql());
        assertEquals("b.op = CASE WHEN b.x > 2 THEN 'u' ELSE 'v' END", c.get(1).condition().orElseThrow().sql());
        MergeSpec.Update update = (MergeSpec.Update) c.get(1).action();
        assertEquals(List.of("a", "v"), update.assignments().get(0).column());
        assertEquals("b.v", update.assignments().get(0).expression().sql());
        assertEquals(List.of("w"), update.assignments().get(1).column());
        assertEquals("f(b.v, 2)", update.assignments().get(1).expression().sql());
        assertInstanceOf(MergeSpec.UpdateStar.class, c.get(2).action());
        assertTrue(c.get(2).condition().isEmpty());
        MergeSpec.Insert insert = (MergeSpec.Insert) c.get(3).action();
        assertEquals(List.of("id", "v"), insert.columns());
        assertEquals(List.of("b.id", "coalesce(b.v, 0)"), insert.values().stream().map(MergeSpec.Text::sql).toList());
        assertInstanceOf(MergeSpec.InsertStar.class, c.get(4).action());
        assertEquals("a.v < 0", c.get(5).condition().orElseThrow().sql());
        assertEquals("0", ((MergeSpec.Update) c.get(5).action()).assignments().get(0).expression().sql());
        assertInstanceOf(MergeSpec.Delete.class, c.get(6).action());
    }

    @Test
    void sourceTablesValuesAndSchemaEvolution() {
        MergeSpec spec = MergeParser.parse("MERGE WITH SCHEMA EVOLUTION INTO t USING s ON t.id = s.id "
                + "WHEN NOT MATCHED THEN INSERT *");
        assertTrue(spec.schemaEvolution());
        assertEquals(TableName.of(null, "t"), spec.target());
        assertTrue(spec.targetAlias().isEmpty());
        assertEquals("s", spec.source().sql());
        assertTrue(spec.sourceIsTable());
        assertTrue(spec.sourceAlias().isEmpty());

        spec = MergeParser.parse("MERGE INTO delta.`/tmp/x` t USING (VALUES (1, 'a'), (2, 'b')) AS v(id, name) "
                + "ON t.id = v.id WHEN MATCHED THEN UPDATE SET name = v.name");
        assertEquals(TableName.ofPath("/tmp/x"), spec.target());
        assertEquals(Optional.of("t"), spec.targetAlias());
        assertEquals("(VALUES (1, 'a'), (2, 'b'))", spec.source().sql());
        assertEquals(List.of("id", "name"), spec.sourceColumnAliases());
        assertFalse(spec.schemaEvolution());
    }

    @Test
    void errorsNameTheProblemAndPosition() {
        TarnException e = assertThrows(TarnException.class, () -> MergeParser.parse(
                "MERGE INTO t USING s ON t.id = s.id"));
        assertEquals(ErrorCode.SYNTAX_ERROR, e.errorCode());
        assertTrue(e.getMessage().contains("WHEN"), e.getMessage());

        e = assertThrows(TarnException.class, () -> MergeParser.parse(
                "MERGE INTO t USING s ON t.id = s.id WHEN NOT MATCHED THEN DELETE"));
        assertEquals(ErrorCode.SYNTAX_ERROR, e.errorCode());
        assertTrue(e.getMessage().contains("WHEN NOT MATCHED cannot DELETE"), e.getMessage());

        e = assertThrows(TarnException.class, () -> MergeParser.parse(
                "MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN INSERT *"));
        assertTrue(e.getMessage().contains("WHEN MATCHED cannot INSERT *"), e.getMessage());

        e = assertThrows(TarnException.class, () -> MergeParser.parse(
                "MERGE INTO t USING s ON t.id = s.id WHEN NOT MATCHED BY SOURCE THEN UPDATE SET *"));
        assertTrue(e.getMessage().contains("WHEN NOT MATCHED BY SOURCE cannot UPDATE SET *"), e.getMessage());

        e = assertThrows(TarnException.class, () -> MergeParser.parse(
                "MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE WHEN MATCHED AND s.x = 1 THEN DELETE"));
        assertEquals(ErrorCode.VALIDATION_ERROR, e.errorCode());
        assertTrue(e.getMessage().contains("only the last one can omit the condition"), e.getMessage());
        assertTrue(e.getMessage().contains("line 1, column 37"), e.getMessage());

        e = assertThrows(TarnException.class, () -> MergeParser.parse(
                "MERGE INTO t USING s ON t.id = s.id WHEN NOT MATCHED THEN INSERT (a, b) VALUES (1)"));
        assertTrue(e.getMessage().contains("INSERT names 2 columns but gives 1 values"), e.getMessage());

        e = assertThrows(TarnException.class, () -> MergeParser.parse(
                "MERGE INTO t USING s ON t.id = ? WHEN MATCHED THEN DELETE"));
        assertEquals(ErrorCode.UNSUPPORTED_STATEMENT, e.errorCode());

        e = assertThrows(TarnException.class, () -> MergeParser.parse(
                "MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE extra"));
        assertTrue(e.getMessage().contains("expected WHEN or the end of the statement"), e.getMessage());
    }
}

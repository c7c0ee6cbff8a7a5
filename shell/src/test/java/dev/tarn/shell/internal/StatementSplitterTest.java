package dev.tarn.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatementSplitterTest {
    @Test
    void splitsAtSemicolonsAndSkipsEmptyStatements() {
        assertEquals(List.of("select 1", "select 2"), StatementSplitter.splitScript(" select 1;;  ;\nselect 2 ; ;"));
    }

    @Test
    void finalStatementWithoutSemicolonCounts() {
        assertEquals(List.of("select 1", "select 2"), StatementSplitter.splitScript("select 1; select 2"));
    }

    @Test
    void semicolonsInsideQuotesDoNotSplit() {
        assertEquals(List.of("select 'a;b', 'it''s;', \"c;d\", `e;f`", "select 2"),
                StatementSplitter.splitScript("select 'a;b', 'it''s;', \"c;d\", `e;f`; select 2"));
        assertEquals(List.of("select \"a\"\";b\""), StatementSplitter.splitScript("select \"a\"\";b\";"));
    }

    @Test
    void semicolonsInsideCommentsDoNotSplit() {
        assertEquals(List.of("select 1 -- one; two\n + 1", "/* a; b */ select 2"),
                StatementSplitter.splitScript("select 1 -- one; two\n + 1; /* a; b */ select 2;"));
    }

    @Test
    void commentOnlyStatementsAreSkipped() {
        assertEquals(List.of("select 1"), StatementSplitter.splitScript("-- just a comment;\n; /* x */ ; select 1; -- end"));
    }

    @Test
    void remainderIsTheStatementBeingTyped() {
        StatementSplitter.Split s = StatementSplitter.split("select 1; select 'a;");
        assertEquals(List.of("select 1"), s.statements());
        assertTrue(s.hasPartialStatement());
        assertEquals(" select 'a;", s.remainder());
        assertFalse(StatementSplitter.split("select 1; -- trailing").hasPartialStatement());
    }
}

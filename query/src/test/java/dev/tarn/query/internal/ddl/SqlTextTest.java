package dev.tarn.query.internal.ddl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SqlTextTest {
    @Test
    void firstWordSkipsWhitespaceAndStopsAtTheFirstNonWordCharacter() {
        assertEquals("SELECT", SqlText.firstWord("  \n\tselect 1"));
        assertEquals("INSERT", SqlText.firstWord("Insert(x)"));
        assertEquals("", SqlText.firstWord("-- comment\nSHOW SCHEMAS"));
        assertEquals("", SqlText.firstWord("   "));
    }

    @Test
    void containsIgnoreCaseFindsTheWordInAnyCase() {
        assertTrue(SqlText.containsIgnoreCase("insert into t REPLACE where", "replace"));
        assertTrue(SqlText.containsIgnoreCase("x Table_Changes(", "table_changes"));
        assertFalse(SqlText.containsIgnoreCase("insert into t values (1)", "overwrite"));
    }

    @Test
    void ddlBehindACommentOrInAnyCaseIsStillRecognized() {
        assertTrue(DdlParser.parse("-- list them\nSHOW SCHEMAS").isPresent());
        assertTrue(DdlParser.parse("/* x */ show tables").isPresent());
        assertTrue(DdlParser.parse("  create table t (a int)").isPresent());
        assertFalse(DdlParser.parse("select * from t").isPresent());
        assertFalse(DdlParser.parse("insert into t values (1, 'CREATE TABLE x')").isPresent());
    }

    @Test
    void longStatementsWithoutTheSyntaxAreLeftAlone() {
        StringBuilder sb = new StringBuilder("insert into t values ");
        for (int i = 0; i < 1000; i++) {
            sb.append(i == 0 ? "" : ", ").append('(').append(i).append(", 'kind").append(i % 7).append("')");
        }
        String sql = sb.toString();
        assertEquals(sql, TimeTravelSyntax.rewrite(sql, ZoneOffset.UTC));
        assertEquals(sql, ChangeFeedSyntax.rewrite(sql, ZoneOffset.UTC));
    }
}

package dev.tarn.query.internal.ddl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tarn.error.TarnException;
import dev.tarn.query.internal.catalog.ChangeRange;
import dev.tarn.query.internal.catalog.TimeTravel;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChangeFeedSyntaxTest {
    private static final ZoneId UTC = ZoneOffset.UTC;

    @Test
    void callsBecomeSuffixedNames() {
        assertEquals("SELECT * FROM `t@changes:v2:v5` AS `t`",
                ChangeFeedSyntax.rewrite("SELECT * FROM table_changes('t', 2, 5)", UTC));
        assertEquals("SELECT * FROM `s`.`t@changes:v0` c WHERE x = 1",
                ChangeFeedSyntax.rewrite("SELECT * FROM TABLE_CHANGES ( 's.t' , 0 ) c WHERE x = 1", UTC));
        assertEquals("SELECT * FROM delta.`/data/t@changes:20240101000000000:20240102000000000` AS `t`",
                ChangeFeedSyntax.rewrite("SELECT * FROM table_changes_by_path('/data/t', '2024-01-01', "
                        + "'2024-01-02 00:00:00')", UTC));
        assertEquals("SELECT * FROM `t@changes:20240101050000000` AS `t`",
                ChangeFeedSyntax.rewrite("SELECT * FROM table_changes('t', '2024-01-01')", ZoneId.of("-05:00")));
    }

    @Test
    void otherStatementsAreLeftAlone() {
        String sql = "SELECT 'table_changes(1)' FROM t";
        assertSame(sql, ChangeFeedSyntax.rewrite(sql, UTC));
        assertSame("SELECT 1", ChangeFeedSyntax.rewrite("SELECT 1", UTC));
    }

    @Test
    void badArgumentsAreSyntaxErrors() {
        assertThrows(TarnException.class, () -> ChangeFeedSyntax.rewrite("SELECT * FROM table_changes('t')", UTC));
        assertThrows(TarnException.class, () -> ChangeFeedSyntax.rewrite("SELECT * FROM table_changes(t, 1)", UTC));
        assertThrows(TarnException.class,
                () -> ChangeFeedSyntax.rewrite("SELECT * FROM table_changes('t', 1, '2024-01-01')", UTC));
        assertThrows(TarnException.class,
                () -> ChangeFeedSyntax.rewrite("SELECT * FROM table_changes('t', 'yesterday')", UTC));
    }

    @Test
    void suffixesRoundTrip() {
        ChangeRange byVersion = new ChangeRange(new TimeTravel.Version(2), Optional.of(new TimeTravel.Version(5)));
        assertEquals(Optional.of(new ChangeRange.Split("t", byVersion)),
                ChangeRange.split("t" + byVersion.suffix()));
        ChangeRange open = new ChangeRange(new TimeTravel.Timestamp(1_704_067_200_000L), Optional.empty());
        assertEquals(Optional.of(new ChangeRange.Split("/a/b", open)), ChangeRange.split("/a/b" + open.suffix()));
        assertEquals(Optional.empty(), ChangeRange.split("t@v3"));
        assertEquals(Optional.empty(), ChangeRange.split("@changes:v1"));
    }
}

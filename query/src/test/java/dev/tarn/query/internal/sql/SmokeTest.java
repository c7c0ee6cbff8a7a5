package dev.tarn.query.internal.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SmokeTest extends EngineFixture {
    @Test
    void selectsRows() {
        assertEquals(java.util.List.of(row(1L, "Ann")), query("SELECT id, name FROM people WHERE id = 1"));
    }
}

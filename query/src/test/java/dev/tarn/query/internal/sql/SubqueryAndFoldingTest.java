package dev.tarn.query.internal.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.error.ErrorCode;
import dev.tarn.query.internal.catalog.PushedFilter;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class SubqueryAndFoldingTest extends EngineFixture {

    @Test
    void inAndNotInSubqueries() {
        assertEquals(List.of(row("Ann"), row("Bob")),
                query("SELECT name FROM people WHERE id IN (SELECT person_id FROM sales.orders) ORDER BY name"));
        assertEquals(List.of(row(3L), row(4L), row(5L), row(6L), row(7L)),
                query("SELECT id FROM people WHERE id NOT IN (SELECT person_id FROM sales.orders) ORDER BY id"));
        // NOT IN over a set containing NULL is never true.
        assertEquals(List.of(), query("SELECT id FROM people WHERE id NOT IN (SELECT age FROM people)"));
    }

    @Test
    void existsAndScalarSubqueries() {
        assertEquals(List.of(row("Ann"), row("Bob")),
                query("SELECT name FROM people p WHERE EXISTS (SELECT 1 FROM sales.orders o WHERE o.person_id = p.id) ORDER BY 1"));
        assertEquals(List.of(row("Ann", new java.math.BigDecimal("20.50")), row("Bob", new java.math.BigDecimal("5.25")),
                        row("Cid", null)),
                query("SELECT name, (SELECT MAX(total) FROM sales.orders o WHERE o.person_id = p.id) FROM people p "
                        + "WHERE id <= 3 ORDER BY id"));
        assertEquals(List.of(row("Bob"), row((Object) null)),
                query("SELECT name FROM people WHERE age > (SELECT AVG(age) FROM people) ORDER BY name DESC"));
        assertEquals(List.of(row("Ann")), query("SELECT name FROM people WHERE id = (SELECT MIN(id) FROM people)"));
        error(ErrorCode.INVALID_VALUE, "SELECT name FROM people WHERE id = (SELECT id FROM people)");
    }

    /**
     * A correlated [NOT] EXISTS conjunct runs as one semi (anti) join whose condition holds the correlation, also when
     * it is not an equality (TPC-H Q21), instead of Calcite's value-generator decorrelation.
     */
    @Test
    void existsWithANonEqualityCorrelationIsASemiOrAntiJoin() {
        String colleague = "EXISTS (SELECT 1 FROM people q WHERE q.dept = p.dept AND q.id <> p.id)";
        assertEquals(List.of(row(1L), row(2L), row(3L), row(4L), row(6L)),
                query("SELECT id FROM people p WHERE " + colleague + " ORDER BY id"));
        // NULL depts match nothing, so NOT EXISTS keeps them.
        assertEquals(List.of(row(5L), row(7L)),
                query("SELECT id FROM people p WHERE NOT " + colleague + " ORDER BY id"));
        // Conditions on the subquery's rows alone filter them before the join.
        assertEquals(List.of(row(1L), row(6L)), query("SELECT id FROM people p WHERE EXISTS (SELECT * FROM people q "
                + "WHERE q.dept = p.dept AND q.id <> p.id AND q.age > 40) ORDER BY id"));
        assertEquals(List.of(row(3L), row(4L), row(6L)), query("SELECT id FROM people p WHERE id > 1 AND "
                + colleague + " AND NOT EXISTS (SELECT 1 FROM people r WHERE r.dept = p.dept AND r.age < p.age - 10)"
                + " ORDER BY id"));
        String plan = ((QueryStatement) plan("SELECT id FROM people p WHERE id > 1 AND " + colleague
                + " AND NOT EXISTS (SELECT 1 FROM people r WHERE r.dept = p.dept AND r.age > 40)")).explain();
        assertTrue(plan.contains("HashJoin[SEMI"), plan);
        assertTrue(plan.contains("HashJoin[ANTI"), plan);
        assertEquals(3, plan.split("Scan\\[", -1).length - 1, plan); // each table read once
        // Other shapes still go through Calcite's decorrelation, with the same answers.
        assertEquals(List.of(row(1L), row(2L), row(3L), row(4L), row(6L), row(7L)),
                query("SELECT id FROM people p WHERE id = 7 OR " + colleague + " ORDER BY id"));
        assertEquals(List.of(row(1L), row(2L)), query("SELECT id FROM people p WHERE EXISTS (SELECT person_id FROM "
                + "sales.orders o WHERE o.person_id = p.id GROUP BY person_id HAVING COUNT(*) > 0) ORDER BY id"));
    }

    @Test
    void constantsAreFoldedSoFiltersCanBePushed() {
        assertEquals(List.of(row("Bob"), row((Object) null)),
                query("SELECT name FROM people WHERE born < DATE '1980-01-01' + INTERVAL '1' YEAR ORDER BY name DESC"));
        List<PushedFilter> pushed = people.pushedFilters.get(people.pushedFilters.size() - 1);
        assertEquals(List.of(new PushedFilter(5, PushedFilter.Op.LT, List.of(LocalDate.of(1981, 1, 1)))), pushed);
        assertEquals(List.of(row("Ann")), query("SELECT name FROM people WHERE id = 2 * 3 - 5"));
        assertEquals(List.of(new PushedFilter(0, PushedFilter.Op.EQ, List.of(1))),
                people.pushedFilters.get(people.pushedFilters.size() - 1));
        assertEquals(List.of(), query("SELECT name FROM people WHERE 1 = 0"));
        assertTrue(people.pushedFilters.size() >= 2);
    }

    @Test
    void failingConstantsFailAtRunTimeNotPlanTime() {
        PlannedStatement s = plan("SELECT 1 / 0 FROM people");
        assertEquals(1, s.columns().size());
        error(ErrorCode.DIVISION_BY_ZERO, "SELECT 1 / 0 FROM people");
        assertEquals(List.of(), query("SELECT 1 / 0 FROM people WHERE id > 100"));
    }
}

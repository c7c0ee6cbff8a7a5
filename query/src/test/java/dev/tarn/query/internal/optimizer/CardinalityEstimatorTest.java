package dev.tarn.query.internal.optimizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tarn.query.internal.optimizer.CardinalityEstimator.Column;
import dev.tarn.query.internal.optimizer.CardinalityEstimator.Estimate;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.DateString;
import org.junit.jupiter.api.Test;

/** Selectivity of predicates over columns whose bounds and distinct counts came from the Delta log. */
class CardinalityEstimatorTest {
    private static final JavaTypeFactoryImpl TYPES = new JavaTypeFactoryImpl();
    private static final RexBuilder REX = new RexBuilder(TYPES);
    private static final long FIRST_DAY = LocalDate.parse("1992-01-01").toEpochDay();
    private static final long LAST_DAY = LocalDate.parse("1998-12-31").toEpochDay();

    /** id BIGINT 1..1000 (all distinct), day DATE over 1992-1998, name VARCHAR without statistics. */
    private static final Estimate TABLE = new Estimate(1000, List.of(
            new Column(1000, 1000, 1, 1000),
            new Column(LAST_DAY - FIRST_DAY + 1, LAST_DAY - FIRST_DAY + 1, FIRST_DAY, LAST_DAY),
            Column.UNKNOWN), true);

    private final CardinalityEstimator estimator = new CardinalityEstimator(scan -> {
        throw new AssertionError("no tables here");
    });

    private static RexNode id() {
        return REX.makeInputRef(TYPES.createSqlType(SqlTypeName.BIGINT), 0);
    }

    private static RexNode day() {
        return REX.makeInputRef(TYPES.createSqlType(SqlTypeName.DATE), 1);
    }

    private static RexNode name() {
        return REX.makeInputRef(TYPES.createSqlType(SqlTypeName.VARCHAR), 2);
    }

    private static RexNode number(long v) {
        return REX.makeExactLiteral(BigDecimal.valueOf(v), TYPES.createSqlType(SqlTypeName.BIGINT));
    }

    private static RexNode date(String iso) {
        return REX.makeDateLiteral(new DateString(iso));
    }

    private double selectivity(RexNode condition) {
        return estimator.selectivity(condition, TABLE);
    }

    @Test
    void rangeSelectsTheCoveredFractionOfMinToMax() {
        assertEquals(0.25, selectivity(REX.makeCall(SqlStdOperatorTable.LESS_THAN, id(), number(251))), 0.01);
        assertEquals(0.75, selectivity(REX.makeCall(SqlStdOperatorTable.GREATER_THAN, id(), number(251))), 0.01);
        // Literal on the left.
        assertEquals(0.25, selectivity(REX.makeCall(SqlStdOperatorTable.GREATER_THAN, number(251), id())), 0.01);
    }

    @Test
    void boundsOnOneColumnFormOneRange() {
        RexNode between = REX.makeCall(SqlStdOperatorTable.AND,
                REX.makeCall(SqlStdOperatorTable.GREATER_THAN_OR_EQUAL, id(), number(101)),
                REX.makeCall(SqlStdOperatorTable.LESS_THAN_OR_EQUAL, id(), number(200)));
        assertEquals(0.1, selectivity(between), 0.01); // not 0.9 * 0.2 as if independent
    }

    @Test
    void dateRangeAsSearchArgument() {
        // One year of seven: Calcite's simplified form of d >= '1995-01-01' AND d < '1996-01-01' is a SEARCH.
        RexNode year = REX.makeBetween(day(), date("1995-01-01"), date("1995-12-31"));
        assertEquals(1.0 / 7, selectivity(year), 0.01);
        RexNode outside = REX.makeCall(SqlStdOperatorTable.GREATER_THAN, day(), date("2001-01-01"));
        assertEquals(0, selectivity(outside), 1e-6);
    }

    @Test
    void equalityUsesTheDistinctCount() {
        assertEquals(0.001, selectivity(REX.makeCall(SqlStdOperatorTable.EQUALS, id(), number(5))), 1e-9);
        // A value outside [min, max] matches nothing.
        assertEquals(0, selectivity(REX.makeCall(SqlStdOperatorTable.EQUALS, id(), number(5000))), 1e-6);
        // IN of three values: three points.
        RexNode in = REX.makeIn(id(), List.of(number(1), number(2), number(3)));
        assertEquals(0.003, selectivity(in), 1e-9);
        // Without statistics (strings): a tenth.
        RexNode eq = REX.makeCall(SqlStdOperatorTable.EQUALS, name(), REX.makeLiteral("x"));
        assertEquals(CardinalityEstimator.EQUALS_SELECTIVITY, selectivity(eq), 1e-9);
    }

    @Test
    void likeAndOrAndNot() {
        RexNode like = REX.makeCall(SqlStdOperatorTable.LIKE, name(), REX.makeLiteral("%green%"));
        assertEquals(CardinalityEstimator.LIKE_SELECTIVITY, selectivity(like), 1e-9);
        RexNode either = REX.makeCall(SqlStdOperatorTable.OR,
                REX.makeCall(SqlStdOperatorTable.LESS_THAN, id(), number(101)),
                REX.makeCall(SqlStdOperatorTable.GREATER_THAN, id(), number(900)));
        assertEquals(0.1 + 0.1 - 0.01, selectivity(either), 0.01);
        RexNode not = REX.makeCall(SqlStdOperatorTable.NOT, REX.makeCall(SqlStdOperatorTable.LESS_THAN, id(), number(101)));
        assertEquals(0.9, selectivity(not), 0.01);
    }

    @Test
    void rangeFractionWithoutBoundsFallsBackToAThird() {
        assertEquals(1.0 / 3, CardinalityEstimator.rangeFraction(Column.UNKNOWN, 5, Double.POSITIVE_INFINITY), 1e-9);
        assertEquals(0.25, CardinalityEstimator.rangeFraction(Column.UNKNOWN, 5, 10), 1e-9);
    }
}

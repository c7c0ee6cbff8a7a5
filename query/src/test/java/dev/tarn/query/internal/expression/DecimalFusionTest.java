package dev.tarn.query.internal.expression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.txlog.types.DataType;
import dev.tarn.txlog.types.DecimalType;
import dev.tarn.txlog.types.PrimitiveType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Trees of DECIMAL {@code + - *} evaluated in one go ({@link DecimalFusion}) give exactly BigDecimal's results, and
 * batches whose bounds do not allow it (values beyond a long, a result beyond its precision, a node that rounds)
 * give the per-row path's results and errors.
 */
class DecimalFusionTest {
    private static final DecimalType MONEY = new DecimalType(15, 2);
    private final BufferAllocator allocator = new RootAllocator();
    private final EvalContext context = new EvalContext(allocator, List.of(), ZoneOffset.UTC, Instant.EPOCH);

    @AfterEach
    void close() {
        allocator.close();
    }

    private static Constant one() {
        return Constant.literal(PrimitiveType.INTEGER, 1L);
    }

    /** {@code price * (1 - discount) * (1 + tax)} with Calcite's types (TPC-H Q1's charge). */
    private static ArithmeticExpr charge() {
        DecimalType factor = new DecimalType(16, 2);
        ArithmeticExpr discounted = new ArithmeticExpr(ArithmeticExpr.Op.TIMES, new DecimalType(31, 4),
                new ColumnRef(0, MONEY), new ArithmeticExpr(ArithmeticExpr.Op.MINUS, factor, one(), new ColumnRef(1, MONEY)));
        return new ArithmeticExpr(ArithmeticExpr.Op.TIMES, new DecimalType(38, 6), discounted,
                new ArithmeticExpr(ArithmeticExpr.Op.PLUS, factor, one(), new ColumnRef(2, MONEY)));
    }

    @Test
    void chargeMatchesBigDecimalWithNullsAndNegativeValues() {
        SplittableRandom random = new SplittableRandom(3);
        List<List<Object>> columns = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < 5_000; i++) {
            columns.get(0).add(i % 101 == 0 ? null : BigDecimal.valueOf(random.nextLong(-10_500_000, 10_500_000), 2));
            columns.get(1).add(i % 103 == 0 ? null : BigDecimal.valueOf(random.nextLong(0, 11), 2));
            columns.get(2).add(BigDecimal.valueOf(random.nextLong(0, 9), 2));
        }
        ArithmeticExpr charge = charge();
        assertNotNull(DecimalFusion.of(charge));
        try (VectorSchemaRoot batch = KernelTesting.batch(allocator, List.of(MONEY, MONEY, MONEY), columns)) {
            List<Object> got = KernelTesting.evaluate(charge, batch, context);
            for (int i = 0; i < got.size(); i++) {
                BigDecimal p = (BigDecimal) columns.get(0).get(i);
                BigDecimal d = (BigDecimal) columns.get(1).get(i);
                BigDecimal t = (BigDecimal) columns.get(2).get(i);
                BigDecimal want = p == null || d == null ? null
                        : p.multiply(BigDecimal.ONE.subtract(d)).multiply(BigDecimal.ONE.add(t)).setScale(6);
                assertEquals(want, got.get(i), "row " + i);
            }
        }
    }

    @Test
    void mixedScalesAndIntegerOperandsScaleUpExactly() {
        // a * b - c * k with DECIMAL(10,3), DECIMAL(12,1), DECIMAL(9,2) and a BIGINT k: TPC-H Q9's amount shape.
        DecimalType a = new DecimalType(10, 3);
        DecimalType b = new DecimalType(12, 1);
        DecimalType c = new DecimalType(9, 2);
        SplittableRandom random = new SplittableRandom(5);
        List<List<Object>> columns = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < 3_000; i++) {
            columns.get(0).add(BigDecimal.valueOf(random.nextLong(-9_999_999, 9_999_999), 3));
            columns.get(1).add(BigDecimal.valueOf(random.nextLong(-99_999_999_999L, 99_999_999_999L), 1));
            columns.get(2).add(BigDecimal.valueOf(random.nextLong(-9_999_999, 9_999_999), 2));
            columns.get(3).add(i % 7 == 0 ? null : random.nextLong(-1000, 1000));
        }
        List<DataType> types = List.of(a, b, c, PrimitiveType.LONG);
        ArithmeticExpr e = new ArithmeticExpr(ArithmeticExpr.Op.MINUS, new DecimalType(25, 4),
                new ArithmeticExpr(ArithmeticExpr.Op.TIMES, new DecimalType(23, 4), new ColumnRef(0, a), new ColumnRef(1, b)),
                new ArithmeticExpr(ArithmeticExpr.Op.TIMES, new DecimalType(29, 2), new ColumnRef(2, c),
                        new ColumnRef(3, PrimitiveType.LONG)));
        try (VectorSchemaRoot batch = KernelTesting.batch(allocator, types, columns)) {
            List<Object> got = KernelTesting.evaluate(e, batch, context);
            for (int i = 0; i < got.size(); i++) {
                Long k = (Long) columns.get(3).get(i);
                BigDecimal want = k == null ? null : ((BigDecimal) columns.get(0).get(i))
                        .multiply((BigDecimal) columns.get(1).get(i))
                        .subtract(((BigDecimal) columns.get(2).get(i)).multiply(BigDecimal.valueOf(k))).setScale(4);
                assertEquals(want, got.get(i), "row " + i);
            }
        }
    }

    @Test
    void batchesBeyondALongOrThatRoundTakeTheExactPath() {
        DecimalType wide = new DecimalType(38, 2);
        List<List<Object>> columns = List.of(new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < 100; i++) {
            columns.get(0).add(i == 50 ? new BigDecimal("12345678901234567890123.45") : BigDecimal.valueOf(i * 1001L, 2));
            columns.get(1).add(BigDecimal.valueOf(i % 10 + 5, 2));
        }
        // (a + b) * b rounded to scale 1: the product node rounds, so no batch is fused.
        ArithmeticExpr rounding = new ArithmeticExpr(ArithmeticExpr.Op.TIMES, new DecimalType(38, 1),
                new ArithmeticExpr(ArithmeticExpr.Op.PLUS, new DecimalType(38, 2), new ColumnRef(0, wide),
                        new ColumnRef(1, MONEY)), new ColumnRef(1, MONEY));
        // (a - b) * (1 + b) at full scale: fused unless a value leaves a long (row 50 does).
        ArithmeticExpr exact = new ArithmeticExpr(ArithmeticExpr.Op.TIMES, new DecimalType(38, 4),
                new ArithmeticExpr(ArithmeticExpr.Op.MINUS, new DecimalType(38, 2), new ColumnRef(0, wide),
                        new ColumnRef(1, MONEY)),
                new ArithmeticExpr(ArithmeticExpr.Op.PLUS, new DecimalType(16, 2), one(), new ColumnRef(1, MONEY)));
        try (VectorSchemaRoot batch = KernelTesting.batch(allocator, List.of(wide, MONEY), columns)) {
            assertNull(DecimalFusion.of(rounding).evaluate(batch, context));
            assertNull(DecimalFusion.of(exact).evaluate(batch, context));
            List<Object> rounded = KernelTesting.evaluate(rounding, batch, context);
            List<Object> exactValues = KernelTesting.evaluate(exact, batch, context);
            for (int i = 0; i < 100; i++) {
                BigDecimal x = (BigDecimal) columns.get(0).get(i);
                BigDecimal y = (BigDecimal) columns.get(1).get(i);
                assertEquals(x.add(y).multiply(y).setScale(1, RoundingMode.HALF_UP), rounded.get(i), "row " + i);
                assertEquals(x.subtract(y).multiply(BigDecimal.ONE.add(y)).setScale(4), exactValues.get(i), "row " + i);
            }
        }
    }

    @Test
    void overflowIsAnErrorOnBothPaths() {
        // DECIMAL(15,2) values near the top of their range: the charge bound passes DECIMAL(20,6)'s precision,
        // so the batch goes to the exact path, which reports the overflowing row.
        ArithmeticExpr discounted = new ArithmeticExpr(ArithmeticExpr.Op.TIMES, new DecimalType(17, 4),
                new ColumnRef(0, MONEY), new ArithmeticExpr(ArithmeticExpr.Op.MINUS, new DecimalType(16, 2), one(),
                        new ColumnRef(1, MONEY)));
        List<List<Object>> columns = List.of(new ArrayList<>(), new ArrayList<>());
        columns.get(0).add(new BigDecimal("9999999999999.99"));
        columns.get(1).add(new BigDecimal("-0.05"));
        columns.get(0).add(new BigDecimal("1.00"));
        columns.get(1).add(new BigDecimal("0.05"));
        try (VectorSchemaRoot batch = KernelTesting.batch(allocator, List.of(MONEY, MONEY), columns)) {
            TarnException e = assertThrows(TarnException.class, () -> KernelTesting.evaluate(discounted, batch, context));
            assertEquals(ErrorCode.NUMERIC_OVERFLOW, e.errorCode());
        }
        // Small values in the same types fit: fused, exact.
        List<List<Object>> small = List.of(new ArrayList<>(List.of(new BigDecimal("99.99"))),
                new ArrayList<>(List.of(new BigDecimal("0.10"))));
        try (VectorSchemaRoot batch = KernelTesting.batch(allocator, List.of(MONEY, MONEY), small)) {
            assertNotNull(DecimalFusion.of(discounted));
            assertEquals(List.of(new BigDecimal("89.9910")), KernelTesting.evaluate(discounted, batch, context));
        }
    }

    @Test
    void emptyBatch() {
        List<List<Object>> columns = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        try (VectorSchemaRoot batch = KernelTesting.batch(allocator, List.of(MONEY, MONEY, MONEY), columns)) {
            assertEquals(List.of(), KernelTesting.evaluate(charge(), batch, context));
        }
    }
}

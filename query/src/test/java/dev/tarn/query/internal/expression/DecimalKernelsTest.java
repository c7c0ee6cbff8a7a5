package dev.tarn.query.internal.expression;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The unscaled-long DECIMAL kernels give exactly what BigDecimal arithmetic gives (HALF_UP to the result scale,
 * NUMERIC_OVERFLOW beyond the precision), including for values that do not fit a long and for NULLs.
 */
class DecimalKernelsTest {
    private final BufferAllocator allocator = new RootAllocator();
    private final EvalContext context = new EvalContext(allocator, List.of(), ZoneOffset.UTC, Instant.EPOCH);

    @AfterEach
    void close() {
        allocator.close();
    }

    @Test
    void arithmeticMatchesBigDecimalIncludingHugeValuesAndNulls() {
        DecimalType a = new DecimalType(38, 2);
        DecimalType b = new DecimalType(16, 3);
        SplittableRandom random = new SplittableRandom(7);
        List<Object> left = new ArrayList<>();
        List<Object> right = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            left.add(i % 97 == 0 ? null : i % 13 == 0 ? new BigDecimal("123456789012345678901234.56").negate()
                    : BigDecimal.valueOf(random.nextLong(-10_000_000_000L, 10_000_000_000L), 2));
            right.add(i % 89 == 0 ? null : BigDecimal.valueOf(random.nextLong(-1_000_000_000L, 1_000_000_000L), 3));
        }
        try (VectorSchemaRoot batch = batch(List.of(a, b), left, right)) {
            for (ArithmeticExpr.Op op : List.of(ArithmeticExpr.Op.PLUS, ArithmeticExpr.Op.MINUS, ArithmeticExpr.Op.TIMES)) {
                for (DecimalType result : List.of(new DecimalType(38, 3), new DecimalType(38, 5), new DecimalType(38, 1))) {
                    List<Object> got = evaluate(new ArithmeticExpr(op, result, new ColumnRef(0, a), new ColumnRef(1, b)), batch);
                    for (int i = 0; i < left.size(); i++) {
                        BigDecimal x = (BigDecimal) left.get(i);
                        BigDecimal y = (BigDecimal) right.get(i);
                        BigDecimal want = x == null || y == null ? null : (switch (op) {
                            case PLUS -> x.add(y);
                            case MINUS -> x.subtract(y);
                            default -> x.multiply(y);
                        }).setScale(result.scale(), RoundingMode.HALF_UP);
                        assertEquals(want, got.get(i), op + " " + result + " row " + i + ": " + x + ", " + y);
                    }
                }
            }
        }
    }

    @Test
    void vectorsWithoutNullsGiveTheSameResultsIncludingRowsThatLeaveALong() {
        DecimalType a = new DecimalType(38, 2);
        DecimalType b = new DecimalType(15, 2);
        SplittableRandom random = new SplittableRandom(9);
        List<Object> left = new ArrayList<>();
        List<Object> right = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            left.add(i % 11 == 0 ? new BigDecimal("98765432109876543210.55")
                    : i % 17 == 0 ? BigDecimal.valueOf(Long.MAX_VALUE / 3, 2)
                    : BigDecimal.valueOf(random.nextLong(-10_000_000_000L, 10_000_000_000L), 2));
            right.add(BigDecimal.valueOf(random.nextLong(-1_000_000L, 1_000_000L), 2));
        }
        try (VectorSchemaRoot batch = batch(List.of(a, b), left, right)) {
            for (ArithmeticExpr.Op op : List.of(ArithmeticExpr.Op.PLUS, ArithmeticExpr.Op.MINUS, ArithmeticExpr.Op.TIMES)) {
                for (DecimalType result : List.of(new DecimalType(38, 4), new DecimalType(38, 2), new DecimalType(38, 1))) {
                    List<Object> got = evaluate(new ArithmeticExpr(op, result, new ColumnRef(0, a), new ColumnRef(1, b)), batch);
                    List<Object> constantLeft = evaluate(new ArithmeticExpr(op, result,
                            Constant.literal(PrimitiveType.INTEGER, 1L), new ColumnRef(1, b)), batch);
                    for (int i = 0; i < left.size(); i++) {
                        BigDecimal x = (BigDecimal) left.get(i);
                        BigDecimal y = (BigDecimal) right.get(i);
                        assertEquals(apply(op, x, y).setScale(result.scale(), RoundingMode.HALF_UP), got.get(i),
                                op + " " + result + " row " + i + ": " + x + ", " + y);
                        assertEquals(apply(op, BigDecimal.ONE, y).setScale(result.scale(), RoundingMode.HALF_UP),
                                constantLeft.get(i), op + " " + result + " 1 and row " + i + ": " + y);
                    }
                }
            }
            // DECIMAL(18,2) cannot hold the huge rows: the BigDecimal path reports the overflow.
            TarnException e = assertThrows(TarnException.class, () -> evaluate(new ArithmeticExpr(
                    ArithmeticExpr.Op.PLUS, new DecimalType(18, 2), new ColumnRef(0, a), new ColumnRef(1, b)), batch));
            assertEquals(ErrorCode.NUMERIC_OVERFLOW, e.errorCode());
        }
    }

    private static BigDecimal apply(ArithmeticExpr.Op op, BigDecimal x, BigDecimal y) {
        return switch (op) {
            case PLUS -> x.add(y);
            case MINUS -> x.subtract(y);
            default -> x.multiply(y);
        };
    }

    @Test
    void comparisonsOfLongSizedDecimalsAgainstConstantsMatchBigDecimal() {
        // 150 rows (three words of result bits) whose values all fit a long: the range kernel on unscaled longs.
        DecimalType t = new DecimalType(15, 2);
        List<Object> values = new java.util.ArrayList<>();
        for (int i = 0; i < 150; i++) {
            values.add(i % 10 == 3 ? null : BigDecimal.valueOf(i - 75, 2));
        }
        try (VectorSchemaRoot batch = KernelTesting.batch(allocator, List.of(t), List.of(values))) {
            for (CompareExpr.Op op : List.of(CompareExpr.Op.EQ, CompareExpr.Op.NE, CompareExpr.Op.LT, CompareExpr.Op.LE,
                    CompareExpr.Op.GT, CompareExpr.Op.GE)) {
                for (BigDecimal c : List.of(new BigDecimal("0.05"), new BigDecimal("-0.1"), new BigDecimal("300"))) {
                    for (boolean flipped : new boolean[] {false, true}) {
                        Expr column = new ColumnRef(0, t);
                        Expr constant = Constant.literal(new DecimalType(5, Math.max(0, c.scale())), c);
                        List<Object> expected = new java.util.ArrayList<>();
                        for (Object v : values) {
                            if (v == null) {
                                expected.add(null);
                                continue;
                            }
                            int cmp = ((BigDecimal) v).compareTo(c) * (flipped ? -1 : 1);
                            expected.add(switch (op) {
                                case EQ -> cmp == 0;
                                case NE -> cmp != 0;
                                case LT -> cmp < 0;
                                case LE -> cmp <= 0;
                                case GT -> cmp > 0;
                                case GE -> cmp >= 0;
                                default -> throw new IllegalStateException();
                            });
                        }
                        CompareExpr e = flipped ? new CompareExpr(op, constant, column) : new CompareExpr(op, column, constant);
                        assertEquals(expected, evaluate(e, batch), op + " " + c + (flipped ? " flipped" : ""));
                    }
                }
            }
        }
    }

    @Test
    void roundsHalfUpAwayFromZeroAndWorksWithConstantsAndIntegers() {
        DecimalType t = new DecimalType(10, 2);
        try (VectorSchemaRoot batch = batch(List.of(t, PrimitiveType.LONG),
                Arrays.asList(new BigDecimal("0.05"), new BigDecimal("-0.05"), new BigDecimal("0.04"), null),
                Arrays.asList(3L, 7L, -2L, 1L))) {
            // 0.05 * 0.5 = 0.025 -> 0.03; -0.025 -> -0.03; 0.02 -> 0.02.
            assertEquals(Arrays.asList(new BigDecimal("0.03"), new BigDecimal("-0.03"), new BigDecimal("0.02"), null),
                    evaluate(new ArithmeticExpr(ArithmeticExpr.Op.TIMES, new DecimalType(12, 2), new ColumnRef(0, t),
                            Constant.literal(new DecimalType(2, 1), new BigDecimal("0.5"))), batch));
            // 1 - x, the constant on the left (TPC-H's 1 - l_discount).
            assertEquals(Arrays.asList(new BigDecimal("0.95"), new BigDecimal("1.05"), new BigDecimal("0.96"), null),
                    evaluate(new ArithmeticExpr(ArithmeticExpr.Op.MINUS, new DecimalType(11, 2),
                            Constant.literal(PrimitiveType.INTEGER, 1L), new ColumnRef(0, t)), batch));
            assertEquals(Arrays.asList(new BigDecimal("3.05"), new BigDecimal("6.95"), new BigDecimal("-1.96"), null),
                    evaluate(new ArithmeticExpr(ArithmeticExpr.Op.PLUS, new DecimalType(21, 2), new ColumnRef(0, t),
                            new ColumnRef(1, PrimitiveType.LONG)), batch));
        }
    }

    @Test
    void overflowBeyondTheResultPrecisionIsAnError() {
        DecimalType t = new DecimalType(18, 0);
        try (VectorSchemaRoot batch = batch(List.of(t, t), List.of(new BigDecimal("999999999999999999")),
                List.of(new BigDecimal("1")))) {
            TarnException e = assertThrows(TarnException.class, () -> evaluate(new ArithmeticExpr(
                    ArithmeticExpr.Op.PLUS, new DecimalType(18, 0), new ColumnRef(0, t), new ColumnRef(1, t)), batch));
            assertEquals(ErrorCode.NUMERIC_OVERFLOW, e.errorCode());
            assertEquals(List.of(new BigDecimal("1000000000000000000")), evaluate(new ArithmeticExpr(
                    ArithmeticExpr.Op.PLUS, new DecimalType(19, 0), new ColumnRef(0, t), new ColumnRef(1, t)), batch));
            // 999999999999999999 * 999999999999999999 overflows a long but fits DECIMAL(38,0).
            assertEquals(List.of(new BigDecimal("999999999999999999").pow(2)), evaluate(new ArithmeticExpr(
                    ArithmeticExpr.Op.TIMES, new DecimalType(38, 0), new ColumnRef(0, t), new ColumnRef(0, t)), batch));
        }
    }

    @Test
    void comparisonsAgainstConstantsOfOtherScalesAndBetweenColumns() {
        DecimalType t = new DecimalType(38, 2);
        List<Object> values = Arrays.asList(new BigDecimal("0.05"), new BigDecimal("0.06"), new BigDecimal("-0.07"),
                null, new BigDecimal("98765432109876543210987654321.00"), new BigDecimal("0.04"));
        List<Object> others = Arrays.asList(new BigDecimal("0.05"), new BigDecimal("0.05"), new BigDecimal("0.05"),
                new BigDecimal("0.05"), new BigDecimal("98765432109876543210987654321.01"), new BigDecimal("0.05"));
        try (VectorSchemaRoot batch = batch(List.of(t, t), values, others)) {
            assertEquals(Arrays.asList(true, true, false, null, true, false), evaluate(new CompareExpr(
                    CompareExpr.Op.GE, new ColumnRef(0, t), Constant.literal(new DecimalType(3, 2),
                            new BigDecimal("0.05"))), batch));
            // A constant with more decimals than the column takes the exact general path.
            assertEquals(Arrays.asList(false, true, false, null, true, false), evaluate(new CompareExpr(
                    CompareExpr.Op.GT, new ColumnRef(0, t), Constant.literal(new DecimalType(4, 3),
                            new BigDecimal("0.055"))), batch));
            // 0 > x, the constant on the left.
            assertEquals(Arrays.asList(false, false, true, null, false, false), evaluate(new CompareExpr(
                    CompareExpr.Op.GT, Constant.literal(PrimitiveType.LONG, 0L), new ColumnRef(0, t)), batch));
            assertEquals(Arrays.asList(true, false, true, null, true, true), evaluate(new CompareExpr(
                    CompareExpr.Op.LE, new ColumnRef(0, t), new ColumnRef(1, t)), batch));
        }
    }

    @Test
    void castsRescaleHalfUpAndConvertToDoubleAsBigDecimalDoes() {
        DecimalType t = new DecimalType(38, 3);
        List<Object> values = Arrays.asList(new BigDecimal("1.005"), new BigDecimal("-1.005"), null,
                new BigDecimal("123456789012345678901234567.891"), new BigDecimal("0.123"));
        try (VectorSchemaRoot batch = batch(List.of(t, PrimitiveType.LONG), values,
                Arrays.asList(1L, -2L, null, 99999L, 100000L))) {
            assertEquals(Arrays.asList(new BigDecimal("1.01"), new BigDecimal("-1.01"), null,
                            new BigDecimal("123456789012345678901234567.89"), new BigDecimal("0.12")),
                    evaluate(new CastExpr(new ColumnRef(0, t), new DecimalType(38, 2)), batch));
            assertEquals(Arrays.asList(new BigDecimal("1.00500"), new BigDecimal("-1.00500"), null,
                            new BigDecimal("123456789012345678901234567.89100"), new BigDecimal("0.12300")),
                    evaluate(new CastExpr(new ColumnRef(0, t), new DecimalType(38, 5)), batch));
            List<Object> doubles = evaluate(new CastExpr(new ColumnRef(0, t), PrimitiveType.DOUBLE), batch);
            for (int i = 0; i < values.size(); i++) {
                assertEquals(values.get(i) == null ? null : ((BigDecimal) values.get(i)).doubleValue(), doubles.get(i));
            }
            assertEquals(Arrays.asList(new BigDecimal("1.0"), new BigDecimal("-2.0"), null, new BigDecimal("99999.0"),
                    null), evaluate(new CastExpr(new ColumnRef(1, PrimitiveType.LONG), new DecimalType(6, 1), true),
                    batch));
            assertEquals(ErrorCode.NUMERIC_OVERFLOW, assertThrows(TarnException.class, () -> evaluate(
                    new CastExpr(new ColumnRef(1, PrimitiveType.LONG), new DecimalType(6, 1)), batch)).errorCode());
        }
    }

    @Test
    void groupSumsAreExactAcrossLongOverflowAndHugeValues() {
        DecimalType t = new DecimalType(38, 2);
        BigDecimal big = new BigDecimal("92233720368547758.07"); // Long.MAX_VALUE unscaled
        List<Object> values = Arrays.asList(big, big, new BigDecimal("-0.07"), null,
                new BigDecimal("123456789012345678901234567.89"), new BigDecimal("1.00"), new BigDecimal("5.00"));
        try (VectorSchemaRoot batch = batch(List.of(t, t), values, values)) {
            DecimalSums sums = new DecimalSums();
            sums.grow(2);
            boolean[] seen = new boolean[2];
            long[] counts = new long[2];
            int[] groups = {0, 0, 0, 1, 1, 1, 1};
            boolean[] include = {true, true, true, true, true, true, false};
            sums.add(groups, include, (org.apache.arrow.vector.DecimalVector) batch.getVector(0), 7, seen, counts);
            assertEquals(big.add(big).add(new BigDecimal("-0.07")), sums.get(0));
            assertEquals(new BigDecimal("123456789012345678901234568.89"), sums.get(1));
            assertEquals(3, counts[0]);
            assertEquals(2, counts[1], "the NULL and the excluded row do not count");
            assertEquals(true, seen[1]);
        }
    }

    @Test
    void fewGroupSumsAddedInOnePassStayExactPastALong() {
        // Four groups and no NULLs: the one-pass partial sums; 60 batches of values near 2^46 pass a long's range,
        // and a batch holding a value wider than a long is added row by row.
        DecimalType t = new DecimalType(38, 2);
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        DecimalSums sums = new DecimalSums();
        sums.grow(4);
        long[] counts = new long[16];
        boolean[] seen = new boolean[16];
        DecimalSums marked = new DecimalSums();
        marked.grow(4);
        BigDecimal[] expected = {BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO};
        long[] expectedCounts = new long[4];
        int n = 10_003;
        for (int b = 0; b < 61; b++) {
            List<Object> values = new java.util.ArrayList<>();
            int[] groups = new int[n];
            for (int i = 0; i < n; i++) {
                groups[i] = random.nextInt(3) + (i % 7 == 0 ? 1 : 0);
                long x = (1L << 46) - 1 - random.nextLong(1_000_000);
                BigDecimal v = BigDecimal.valueOf(groups[i] == 3 ? -x : x, 2);
                if (b == 60 && i == n - 1) {
                    v = new BigDecimal("123456789012345678901234567.89");
                }
                values.add(v);
                expected[groups[i]] = expected[groups[i]].add(v);
                expectedCounts[groups[i]]++;
            }
            try (VectorSchemaRoot batch = KernelTesting.batch(allocator, List.of(t), List.of(values))) {
                org.apache.arrow.vector.DecimalVector v = (org.apache.arrow.vector.DecimalVector) batch.getVector(0);
                sums.add(groups, null, v, n, null, counts);
                marked.add(groups, null, v, n, seen, null);
            }
        }
        for (int g = 0; g < 4; g++) {
            assertEquals(expected[g], sums.get(g), "group " + g);
            assertEquals(expected[g], marked.get(g), "group " + g);
            assertEquals(expectedCounts[g], counts[g], "group " + g);
            assertEquals(true, seen[g], "group " + g);
        }
        assertEquals(false, seen[4]);
    }

    @Test
    void dateComparisons() {
        try (VectorSchemaRoot batch = batch(List.of(PrimitiveType.DATE, PrimitiveType.DATE),
                Arrays.asList(10, 20, null, 30), Arrays.asList(20, 20, 1, 1))) {
            assertEquals(Arrays.asList(true, false, null, false), evaluate(new CompareExpr(CompareExpr.Op.LT,
                    new ColumnRef(0, PrimitiveType.DATE), Constant.literal(PrimitiveType.DATE, 20)), batch));
            assertEquals(Arrays.asList(true, true, null, false), evaluate(new CompareExpr(CompareExpr.Op.LE,
                    new ColumnRef(0, PrimitiveType.DATE), new ColumnRef(1, PrimitiveType.DATE)), batch));
        }
    }

    private VectorSchemaRoot batch(List<DataType> types, List<Object> first, List<Object> second) {
        return KernelTesting.batch(allocator, types, List.of(first, second));
    }

    private List<Object> evaluate(Expr e, VectorSchemaRoot batch) {
        return KernelTesting.evaluate(e, batch, context);
    }
}

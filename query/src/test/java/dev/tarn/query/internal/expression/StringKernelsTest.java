package dev.tarn.query.internal.expression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.tarn.txlog.types.DataType;
import dev.tarn.txlog.types.DecimalType;
import dev.tarn.txlog.types.PrimitiveType;
import java.math.BigDecimal;
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
 * The byte-level SUBSTRING kernel gives what Spark's code-point SUBSTRING gives for every position and length
 * (multi-byte characters, empty strings, NULLs), and IN lists give the value of the OR of equalities they replace.
 */
class StringKernelsTest {
    private static final String[] PIECES = {"a", "Z", "ñ", "€", "\uD83D\uDE00", " ", "7"};

    private final BufferAllocator allocator = new RootAllocator();
    private final EvalContext context = new EvalContext(allocator, List.of(), ZoneOffset.UTC, Instant.EPOCH);

    @AfterEach
    void close() {
        allocator.close();
    }

    @Test
    void substringMatchesCodePointReferenceForEveryPositionAndLength() {
        SplittableRandom random = new SplittableRandom(5);
        List<Object> strings = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            if (i % 37 == 0) {
                strings.add(null);
                continue;
            }
            StringBuilder sb = new StringBuilder();
            int len = i % 29 == 0 ? 0 : random.nextInt(9);
            for (int k = 0; k < len; k++) {
                sb.append(PIECES[random.nextInt(PIECES.length)]);
            }
            strings.add(sb.toString());
        }
        try (VectorSchemaRoot batch = batch(PrimitiveType.STRING, strings)) {
            ColumnRef s = new ColumnRef(0, PrimitiveType.STRING);
            for (long pos = -11; pos <= 11; pos++) {
                Expr twoArgs = ScalarFunctions.substring(List.of(s, Constant.literal(PrimitiveType.LONG, pos)));
                assertInstanceOf(SubstringExpr.class, twoArgs);
                assertEquals(reference(strings, pos, null), evaluate(twoArgs, batch), "pos " + pos);
                for (long len = -1; len <= 10; len++) {
                    Expr e = ScalarFunctions.substring(List.of(s, Constant.literal(PrimitiveType.LONG, pos),
                            Constant.literal(PrimitiveType.LONG, len)));
                    assertEquals(reference(strings, pos, len), evaluate(e, batch), "pos " + pos + " len " + len);
                }
            }
            Expr huge = ScalarFunctions.substring(List.of(s, Constant.literal(PrimitiveType.LONG, 2L),
                    Constant.literal(PrimitiveType.LONG, Long.MAX_VALUE)));
            assertEquals(reference(strings, 2, null), evaluate(huge, batch));
            Expr nullLength = ScalarFunctions.substring(List.of(s, Constant.literal(PrimitiveType.LONG, 1L),
                    Constant.literal(PrimitiveType.LONG, null)));
            assertEquals(Arrays.asList(new Object[strings.size()]), evaluate(nullLength, batch));
        }
    }

    @Test
    void inListIsTheDisjunctionOfEqualitiesInThreeValuedLogic() {
        List<Object> strings = Arrays.asList("13", "31", null, "1", "130", "", "€3", "17");
        try (VectorSchemaRoot batch = batch(PrimitiveType.STRING, strings)) {
            ColumnRef s = new ColumnRef(0, PrimitiveType.STRING);
            assertEquals(Arrays.asList(true, true, null, false, false, false, true, false),
                    evaluate(new InListExpr(s, List.of("13", "31", "€3")), batch));
            // A NULL constant: no match is unknown, as x = NULL is.
            assertEquals(Arrays.asList(true, null, null, null, null, null, null, null),
                    evaluate(new InListExpr(s, Arrays.asList("13", null)), batch));
            assertEquals(Arrays.asList(false, false, null, false, false, true, false, false),
                    evaluate(new InListExpr(s, List.of("")), batch));
        }
        List<Object> ints = Arrays.asList(5L, -3L, null, 1L << 40, 0L);
        try (VectorSchemaRoot batch = batch(PrimitiveType.LONG, ints)) {
            assertEquals(Arrays.asList(true, false, null, true, false),
                    evaluate(new InListExpr(new ColumnRef(0, PrimitiveType.LONG), List.of(1L << 40, 5L, 7L)), batch));
            // Constants of another numeric type compare by value.
            assertEquals(Arrays.asList(true, false, null, false, true),
                    evaluate(new InListExpr(new ColumnRef(0, PrimitiveType.LONG),
                            List.of(new BigDecimal("5.00"), new BigDecimal("0.5"), 0L)), batch));
        }
        List<Object> days = Arrays.asList(19000, null, 19001, -5);
        try (VectorSchemaRoot batch = batch(PrimitiveType.DATE, days)) {
            assertEquals(Arrays.asList(false, null, true, true),
                    evaluate(new InListExpr(new ColumnRef(0, PrimitiveType.DATE), List.of(-5, 19001)), batch));
        }
        DecimalType money = new DecimalType(15, 2);
        List<Object> amounts = Arrays.asList(new BigDecimal("1.50"), null, new BigDecimal("2.00"));
        try (VectorSchemaRoot batch = batch(money, amounts)) {
            assertEquals(Arrays.asList(true, null, true),
                    evaluate(new InListExpr(new ColumnRef(0, money), List.of(new BigDecimal("1.5"), 2L)), batch));
        }
    }

    @Test
    void likeWithPercentOnlyMatchesAsARegexWould() {
        SplittableRandom random = new SplittableRandom(11);
        List<Object> strings = new ArrayList<>();
        String[] pieces = {"a", "b", "c", "ñ", "\uD83D\uDE00", "%"};
        for (int i = 0; i < 500; i++) {
            if (i % 41 == 0) {
                strings.add(null);
                continue;
            }
            StringBuilder sb = new StringBuilder();
            for (int k = random.nextInt(8); k > 0; k--) {
                sb.append(pieces[random.nextInt(pieces.length)]);
            }
            strings.add(sb.toString());
        }
        try (VectorSchemaRoot batch = batch(PrimitiveType.STRING, strings)) {
            ColumnRef s = new ColumnRef(0, PrimitiveType.STRING);
            for (String pattern : List.of("ab%", "%ca", "%b%c%", "abc", "%", "%%", "a%ñ%b", "%\uD83D\uDE00%a", "",
                    "%c%c%c%", "a\\%%")) {
                for (boolean negated : List.of(false, true)) {
                    Expr like = LikeExpr.of(s, pattern, "\\", negated);
                    List<Object> want = new ArrayList<>();
                    String regex = toRegex(pattern);
                    for (Object o : strings) {
                        want.add(o == null ? null : ((String) o).matches(regex) != negated);
                    }
                    assertEquals(want, evaluate(like, batch), pattern + (negated ? " negated" : ""));
                }
            }
        }
    }

    @Test
    void likeFindsInnerPartsInLongStringsAsARegexWould() {
        // Strings up to 80 bytes with the parts planted at random places (the eight-byte search, parts up to and
        // past eight bytes, matches at a string's and the buffer's end).
        SplittableRandom random = new SplittableRandom(5);
        String[] pieces = {"s", "p", "e", "c", "i", "a", "l", "r", "q", "u", "t", " ", "é", "special", "requests",
                "specia", "reques", "aaaaaaaaa"};
        List<Object> strings = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            if (i % 97 == 0) {
                strings.add(null);
                continue;
            }
            StringBuilder sb = new StringBuilder();
            for (int k = random.nextInt(30); k > 0 && sb.length() < 80; k--) {
                sb.append(pieces[random.nextInt(pieces.length)]);
            }
            strings.add(sb.toString());
        }
        strings.add("xx special yy requests");
        try (VectorSchemaRoot batch = batch(PrimitiveType.STRING, strings)) {
            ColumnRef s = new ColumnRef(0, PrimitiveType.STRING);
            for (String pattern : List.of("%special%requests%", "%special%", "%requests%", "%s%", "%aaaaaaaaaa%",
                    "%special requests%", "%é%special%", "s%pec%s", "%ts%", "%requestsrequests%", "%ial r%", "%uests%",
                    "%l requ%", "%pecialreq%")) {
                for (boolean negated : List.of(false, true)) {
                    Expr like = LikeExpr.of(s, pattern, "\\", negated);
                    List<Object> want = new ArrayList<>();
                    String regex = toRegex(pattern);
                    for (Object o : strings) {
                        want.add(o == null ? null : ((String) o).matches(regex) != negated);
                    }
                    assertEquals(want, evaluate(like, batch), pattern + (negated ? " negated" : ""));
                }
            }
        }
    }

    private static String toRegex(String pattern) {
        StringBuilder sb = new StringBuilder("(?s)");
        int[] cps = pattern.codePoints().toArray();
        for (int i = 0; i < cps.length; i++) {
            if (cps[i] == '\\') {
                sb.append(java.util.regex.Pattern.quote(Character.toString(cps[++i])));
            } else if (cps[i] == '%') {
                sb.append(".*");
            } else {
                sb.append(java.util.regex.Pattern.quote(Character.toString(cps[i])));
            }
        }
        return sb.toString();
    }

    /** Spark's SUBSTRING on code points, as the value-by-value function computes it. */
    private static List<Object> reference(List<Object> strings, long pos, Long len) {
        List<Object> out = new ArrayList<>();
        for (Object o : strings) {
            if (o == null) {
                out.add(null);
                continue;
            }
            int[] cps = ((String) o).codePoints().toArray();
            long start = pos > 0 ? pos - 1 : pos < 0 ? cps.length + pos : 0;
            long end = len == null ? Long.MAX_VALUE : start + len;
            start = Math.max(start, 0);
            end = Math.min(end, cps.length);
            out.add(start >= end ? "" : new String(cps, (int) start, (int) (end - start)));
        }
        return out;
    }

    private VectorSchemaRoot batch(DataType type, List<Object> values) {
        return KernelTesting.batch(allocator, List.of(type), List.of(values));
    }

    private List<Object> evaluate(Expr e, VectorSchemaRoot batch) {
        return KernelTesting.evaluate(e, batch, context);
    }
}

package dev.tarn.testdata.tpch;

import static java.util.Objects.requireNonNull;

import dev.tarn.testdata.SharedTestData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shared TPC-H queries and their answers at SF 0.01 ({@code tpch/README.md} in the shared test data), and the
 * README's comparison rules: same row count; rows in the answer's order where the ORDER BY makes it total (rows tied
 * on every ORDER BY key may come in any order); strings and dates exactly; numbers numerically at the reference's
 * precision.
 */
public final class TpchAnswers {
    private static final Pattern ORDER_BY = Pattern.compile("(?is)\\bORDER\\s+BY\\s+(.*?)(?:\\bLIMIT\\b.*)?$");

    private TpchAnswers() {}

    /** {@code q01} .. {@code q22}. */
    public static String name(int number) {
        if (number < 1 || number > 22) {
            throw new IllegalArgumentException("TPC-H queries are numbered 1..22: " + number);
        }
        return String.format(Locale.ROOT, "q%02d", number);
    }

    /** The query file, e.g. {@code <shared>/tpch/queries/q01.sql}. */
    public static Path queryFile(int number) {
        return SharedTestData.tpch().resolve("queries").resolve(name(number) + ".sql");
    }

    public static String query(int number) {
        return read(queryFile(number));
    }

    /** The answer at SF 0.01: the header row (column names) first, then the rows as text cells. */
    public static List<List<String>> answer(int number) {
        return parseCsv(read(SharedTestData.tpch().resolve("sf0.01").resolve(name(number) + ".csv")));
    }

    /**
     * Checks a result against an answer: {@code actualNames} against the header (case-insensitively), then the rows.
     * Cells are Java values (null, String, LocalDate, BigDecimal, Double, Long/Integer) or text as a CSV renderer
     * prints it. Throws an AssertionError that says which row differs.
     */
    public static void check(String name, String sql, List<List<String>> answer, List<String> actualNames,
                             List<List<Object>> actual) {
        requireNonNull(answer, "answer is null");
        List<String> header = answer.get(0);
        List<List<String>> expected = answer.subList(1, answer.size());
        List<String> names = actualNames.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
        if (!header.equals(names)) {
            throw new AssertionError(name + ": column names " + names + ", expected " + header);
        }
        if (expected.size() != actual.size()) {
            throw new AssertionError(name + ": " + actual.size() + " rows, expected " + expected.size());
        }
        int[] keys = orderKeys(sql, header);
        int start = 0;
        while (start < expected.size()) {
            int end = start + 1;
            while (end < expected.size() && sameKeys(expected.get(start), expected.get(end), keys)) {
                end++;
            }
            List<List<Object>> pool = new ArrayList<>(actual.subList(start, end));
            for (int e = start; e < end; e++) {
                List<String> want = expected.get(e);
                boolean found = false;
                for (Iterator<List<Object>> it = pool.iterator(); it.hasNext(); ) {
                    if (rowMatches(want, it.next())) {
                        it.remove();
                        found = true;
                        break;
                    }
                }
                if (!found) {
                    throw new AssertionError(name + ": expected row " + (e + 1) + " " + want
                            + " not among actual rows " + (start + 1) + ".." + end + ": " + actual.subList(start, end));
                }
            }
            start = end;
        }
    }

    /** Result column positions of the ORDER BY items (all TPC-H sort keys are output columns); none: null. */
    static int[] orderKeys(String sql, List<String> header) {
        String body = sql.replaceAll("--[^\n]*", "");
        Matcher m = ORDER_BY.matcher(body.strip());
        if (!m.find()) {
            return null;
        }
        List<Integer> keys = new ArrayList<>();
        for (String item : m.group(1).split(",")) {
            String column = item.strip().split("\\s+")[0].toLowerCase(Locale.ROOT);
            int i = header.indexOf(column);
            if (i < 0) {
                throw new IllegalStateException("ORDER BY item " + item + " is not an output column of " + header);
            }
            keys.add(i);
        }
        return keys.stream().mapToInt(Integer::intValue).toArray();
    }

    private static boolean sameKeys(List<String> a, List<String> b, int[] keys) {
        if (keys == null) {
            return true;
        }
        for (int k : keys) {
            if (!a.get(k).equals(b.get(k))) {
                return false;
            }
        }
        return true;
    }

    private static boolean rowMatches(List<String> expected, List<Object> actual) {
        if (expected.size() != actual.size()) {
            return false;
        }
        for (int i = 0; i < expected.size(); i++) {
            if (!cellMatches(expected.get(i), actual.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** The README's rules for one cell: strings and dates exactly, numbers numerically at the reference's precision. */
    public static boolean cellMatches(String expected, Object actual) {
        if (actual == null) {
            return expected.isEmpty();
        }
        if (actual instanceof LocalDate d) {
            return d.toString().equals(expected);
        }
        if (actual instanceof String s) {
            if (s.equals(expected)) {
                return true;
            }
            BigDecimal got = parse(s);
            BigDecimal want = parse(expected);
            if (got == null || want == null) {
                return false;
            }
            // Text with many decimals or an exponent came from a double.
            boolean isDouble = got.scale() > 6 || s.indexOf('E') >= 0 || s.indexOf('e') >= 0;
            return isDouble ? doubleMatches(got.doubleValue(), want) : decimalMatches(got, want);
        }
        BigDecimal want = parse(expected);
        if (want == null) {
            return false;
        }
        if (actual instanceof Double || actual instanceof Float) {
            return doubleMatches(((Number) actual).doubleValue(), want);
        }
        if (actual instanceof BigDecimal b) {
            return decimalMatches(b, want);
        }
        if (actual instanceof Long || actual instanceof Integer || actual instanceof Short || actual instanceof Byte) {
            return decimalMatches(BigDecimal.valueOf(((Number) actual).longValue()), want);
        }
        return false;
    }

    private static boolean doubleMatches(double got, BigDecimal want) {
        double w = want.doubleValue();
        return Math.abs(got - w) <= 1e-9 * Math.abs(w) || got == w;
    }

    private static boolean decimalMatches(BigDecimal got, BigDecimal want) {
        int wantScale = Math.max(want.scale(), 0);
        if (got.scale() >= wantScale) {
            // A reference printed with many decimals is a double (shortest round trip): relative 1e-9.
            return got.compareTo(want) == 0 || (wantScale > 6
                    && got.subtract(want).abs().doubleValue() <= 1e-9 * want.abs().doubleValue());
        }
        if (wantScale >= 2 && got.scale() < 2) {
            return false;
        }
        // Fewer decimals than the reference: the reference rounded to ours, within half a unit in our last place.
        BigDecimal halfUnit = BigDecimal.ONE.scaleByPowerOfTen(-got.scale()).divide(BigDecimal.valueOf(2));
        return got.subtract(want).abs().compareTo(halfUnit) <= 0;
    }

    private static BigDecimal parse(String s) {
        try {
            return new BigDecimal(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** RFC 4180 as the reference answers (and Tarn's csv output) use it. */
    public static List<List<String>> parseCsv(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (quoted) {
                if (ch == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        cell.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cell.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
                any = true;
            } else if (ch == ',') {
                row.add(cell.toString());
                cell.setLength(0);
                any = true;
            } else if (ch == '\n' || ch == '\r') {
                if (ch == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                row.add(cell.toString());
                rows.add(row);
                row = new ArrayList<>();
                cell.setLength(0);
                any = false;
            } else {
                cell.append(ch);
                any = true;
            }
        }
        if (any || cell.length() > 0) {
            row.add(cell.toString());
            rows.add(row);
        }
        return rows;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }
}

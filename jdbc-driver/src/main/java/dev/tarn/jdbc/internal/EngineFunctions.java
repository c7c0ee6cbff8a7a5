package dev.tarn.jdbc.internal;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The functions Tarn's executor evaluates (query module, RexCompiler and the aggregate operator), as JDBC's
 * {@code getFunctions} and {@code get*Functions} report them. Each entry carries a sample call; a test runs every
 * sample so this list cannot claim a function the engine does not have.
 */
final class EngineFunctions {
    private EngineFunctions() {}

    enum Kind { NUMERIC, STRING, TIME_DATE, SYSTEM, AGGREGATE }

    /** One function: its name, kind, what it does, and an expression that calls it. */
    record Function(String name, Kind kind, String remarks, String sample) {
        Function {
            requireNonNull(name, "name is null");
            requireNonNull(kind, "kind is null");
            requireNonNull(remarks, "remarks is null");
            requireNonNull(sample, "sample is null");
        }
    }

    static final List<Function> ALL = List.of(
            new Function("ABS", Kind.NUMERIC, "absolute value", "abs(-2)"),
            new Function("CEIL", Kind.NUMERIC, "smallest integer not below x", "ceil(1.5)"),
            new Function("CEILING", Kind.NUMERIC, "smallest integer not below x", "ceiling(1.5)"),
            new Function("FLOOR", Kind.NUMERIC, "largest integer not above x", "floor(1.5)"),
            new Function("MOD", Kind.NUMERIC, "remainder of x / y", "mod(7, 3)"),
            new Function("POWER", Kind.NUMERIC, "x raised to y", "power(2, 10)"),
            new Function("ROUND", Kind.NUMERIC, "x rounded to d decimal places (half up)", "round(2.345, 2)"),
            new Function("SQRT", Kind.NUMERIC, "square root", "sqrt(16.0)"),
            new Function("CHAR_LENGTH", Kind.STRING, "length in characters", "char_length('abc')"),
            new Function("CHARACTER_LENGTH", Kind.STRING, "length in characters", "character_length('abc')"),
            new Function("LENGTH", Kind.STRING, "length in characters", "length('abc')"),
            new Function("CONCAT", Kind.STRING, "concatenation (also ||)", "concat('a', 'b')"),
            new Function("ENDS_WITH", Kind.STRING, "whether s ends with suffix", "ends_with('abc', 'c')"),
            new Function("LEFT", Kind.STRING, "first n characters", "left('abc', 2)"),
            new Function("LOWER", Kind.STRING, "lower case", "lower('ABC')"),
            new Function("LTRIM", Kind.STRING, "leading spaces removed", "ltrim('  a')"),
            new Function("POSITION", Kind.STRING, "1-based position of a substring, 0 when absent",
                    "position('b' in 'abc')"),
            new Function("REPLACE", Kind.STRING, "every occurrence replaced", "replace('abc', 'b', 'x')"),
            new Function("REVERSE", Kind.STRING, "characters in reverse order", "reverse('abc')"),
            new Function("RIGHT", Kind.STRING, "last n characters", "right('abc', 2)"),
            new Function("RTRIM", Kind.STRING, "trailing spaces removed", "rtrim('a  ')"),
            new Function("STARTS_WITH", Kind.STRING, "whether s starts with prefix", "starts_with('abc', 'a')"),
            new Function("SUBSTRING", Kind.STRING, "part of a string (1-based)", "substring('abcdef', 2, 3)"),
            new Function("TRIM", Kind.STRING, "characters removed from both ends", "trim(' a ')"),
            new Function("UPPER", Kind.STRING, "upper case", "upper('abc')"),
            new Function("ADD_MONTHS", Kind.TIME_DATE, "date plus n months", "add_months(date '2024-01-31', 1)"),
            new Function("DATE_ADD", Kind.TIME_DATE, "date plus n days", "date_add(date '2024-01-01', 3)"),
            new Function("DATE_SUB", Kind.TIME_DATE, "date minus n days", "date_sub(date '2024-01-01', 3)"),
            new Function("CURRENT_DATE", Kind.TIME_DATE, "today in the session time zone", "current_date"),
            new Function("CURRENT_TIMESTAMP", Kind.TIME_DATE, "the statement's start instant", "current_timestamp"),
            new Function("EXTRACT", Kind.TIME_DATE, "a field of a date or timestamp",
                    "extract(year from date '2024-05-06')"),
            new Function("LOCALTIMESTAMP", Kind.TIME_DATE, "the statement's start as local date-time",
                    "localtimestamp"),
            new Function("COALESCE", Kind.SYSTEM, "first non-null argument", "coalesce(null, 1)"),
            new Function("IF", Kind.SYSTEM, "if(cond, then, else)", "if(1 = 1, 'y', 'n')"),
            new Function("IFNULL", Kind.SYSTEM, "second argument when the first is null", "ifnull(null, 1)"),
            new Function("NULLIF", Kind.SYSTEM, "null when both arguments are equal", "nullif(1, 1)"),
            new Function("NVL", Kind.SYSTEM, "second argument when the first is null", "nvl(null, 1)"),
            new Function("AVG", Kind.AGGREGATE, "average", "avg(1)"),
            new Function("COUNT", Kind.AGGREGATE, "number of rows or non-null values", "count(*)"),
            new Function("MAX", Kind.AGGREGATE, "largest value", "max(1)"),
            new Function("MIN", Kind.AGGREGATE, "smallest value", "min(1)"),
            new Function("SUM", Kind.AGGREGATE, "sum", "sum(1)"));

    /** The comma-separated names JDBC's {@code getNumericFunctions} etc. return. */
    static String names(Kind kind) {
        return ALL.stream().filter(f -> f.kind() == kind).map(Function::name).sorted()
                .collect(Collectors.joining(","));
    }

    /**
     * Reserved words of Tarn's parser (Calcite's, which Tarn configures but does not extend) that SQL:92 does not
     * reserve, as {@code getSQLKeywords} reports them.
     */
    static String sqlKeywords() {
        return org.apache.calcite.sql.parser.SqlParser.create("", org.apache.calcite.sql.parser.SqlParser.config())
                .getMetadata().getJdbcKeywords();
    }
}

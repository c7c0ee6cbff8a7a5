package dev.tarn.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tarn.query.ResultColumn;
import dev.tarn.txlog.types.ArrayType;
import dev.tarn.txlog.types.DataType;
import dev.tarn.txlog.types.DecimalType;
import dev.tarn.txlog.types.MapType;
import dev.tarn.txlog.types.PrimitiveType;
import dev.tarn.txlog.types.StructField;
import dev.tarn.txlog.types.StructType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Exact csv, jsonl and table output for every type, built from Arrow vectors without the engine. */
class RenderersTest {
    private static final StructType POINT = new StructType(List.of(
            new StructField("x", PrimitiveType.INTEGER, true), new StructField("y", PrimitiveType.STRING, true)));

    private static final List<ResultColumn> COLUMNS = List.of(
            col("b", PrimitiveType.BOOLEAN), col("t", PrimitiveType.BYTE), col("s", PrimitiveType.SHORT),
            col("i", PrimitiveType.INTEGER), col("l", PrimitiveType.LONG), col("f", PrimitiveType.FLOAT),
            col("d", PrimitiveType.DOUBLE), col("dec", new DecimalType(5, 2)), col("str", PrimitiveType.STRING),
            col("bin", PrimitiveType.BINARY), col("dt", PrimitiveType.DATE), col("ts", PrimitiveType.TIMESTAMP),
            col("ntz", PrimitiveType.TIMESTAMP_NTZ), col("arr", new ArrayType(PrimitiveType.INTEGER, true)),
            col("st", POINT), col("m", new MapType(PrimitiveType.STRING, PrimitiveType.INTEGER, true)));

    private static ResultColumn col(String name, DataType type) {
        return new ResultColumn(name, type, true);
    }

    private static final long MICROS = 1_704_112_496_123_456L; // 2024-01-01T12:34:56.123456Z

    private static List<List<Object>> rows() {
        Map<Object, Object> map = new LinkedHashMap<>();
        map.put("k", 1);
        map.put("z", null);
        List<Object> extreme = Arrays.asList(true, (byte) -128, (short) 32767, Integer.MIN_VALUE, Long.MAX_VALUE,
                Float.MAX_VALUE, 0.1, new BigDecimal("-100.00"), "héllo ✓ \"q\",\nline", new byte[] {(byte) 0xCA, (byte) 0xFE},
                (int) LocalDate.of(2024, 2, 29).toEpochDay(), MICROS, MICROS,
                Arrays.asList(1, null, 3), Arrays.asList(1, "a"), map);
        List<Object> special = Arrays.asList(false, (byte) 0, (short) -1, 0, Long.MIN_VALUE,
                Float.NaN, Double.NEGATIVE_INFINITY, new BigDecimal("0.50"), "", new byte[0],
                (int) LocalDate.of(1, 1, 1).toEpochDay(), -1L, -1L, List.of(), Arrays.asList(null, null), Map.of());
        List<Object> nulls = new ArrayList<>();
        for (int i = 0; i < COLUMNS.size(); i++) {
            nulls.add(null);
        }
        return List.of(extreme, special, nulls);
    }

    private static String render(ResultRenderer renderer) throws Exception {
        StringBuilder out = new StringBuilder();
        try (ArrowFixture result = new ArrowFixture(COLUMNS, rows())) {
            renderer.renderRows(result, out);
        }
        return out.toString();
    }

    @Test
    void jsonlWritesEveryTypeAsSpecified() throws Exception {
        String expected = String.join("\n",
                "{\"b\":true,\"t\":-128,\"s\":32767,\"i\":-2147483648,\"l\":9223372036854775807,"
                        + "\"f\":3.4028235E+38,\"d\":0.1,\"dec\":\"-100.00\",\"str\":\"héllo ✓ \\\"q\\\",\\nline\","
                        + "\"bin\":\"yv4=\",\"dt\":\"2024-02-29\",\"ts\":\"2024-01-01T12:34:56.123456Z\","
                        + "\"ntz\":\"2024-01-01T12:34:56.123456\",\"arr\":[1,null,3],\"st\":{\"x\":1,\"y\":\"a\"},"
                        + "\"m\":[{\"key\":\"k\",\"value\":1},{\"key\":\"z\",\"value\":null}]}",
                "{\"b\":false,\"t\":0,\"s\":-1,\"i\":0,\"l\":-9223372036854775808,\"f\":\"NaN\",\"d\":\"-Infinity\","
                        + "\"dec\":\"0.50\",\"str\":\"\",\"bin\":\"\",\"dt\":\"0001-01-01\","
                        + "\"ts\":\"1969-12-31T23:59:59.999999Z\",\"ntz\":\"1969-12-31T23:59:59.999999\",\"arr\":[],"
                        + "\"st\":{\"x\":null,\"y\":null},\"m\":[]}",
                "{\"b\":null,\"t\":null,\"s\":null,\"i\":null,\"l\":null,\"f\":null,\"d\":null,\"dec\":null,"
                        + "\"str\":null,\"bin\":null,\"dt\":null,\"ts\":null,\"ntz\":null,\"arr\":null,\"st\":null,"
                        + "\"m\":null}",
                "");
        assertEquals(expected, render(new JsonlRenderer()));
    }

    @Test
    void csvQuotesWhenNeededAndKeepsNullApartFromEmpty() throws Exception {
        String expected = String.join("\r\n",
                "b,t,s,i,l,f,d,dec,str,bin,dt,ts,ntz,arr,st,m",
                "true,-128,32767,-2147483648,9223372036854775807,3.4028235E+38,0.1,-100.00,"
                        + "\"héllo ✓ \"\"q\"\",\nline\",yv4=,2024-02-29,2024-01-01T12:34:56.123456Z,"
                        + "2024-01-01T12:34:56.123456,\"[1,null,3]\",\"{\"\"x\"\":1,\"\"y\"\":\"\"a\"\"}\","
                        + "\"[{\"\"key\"\":\"\"k\"\",\"\"value\"\":1},{\"\"key\"\":\"\"z\"\",\"\"value\"\":null}]\"",
                "false,0,-1,0,-9223372036854775808,NaN,-Infinity,0.50,\"\",\"\",0001-01-01,1969-12-31T23:59:59.999999Z,"
                        + "1969-12-31T23:59:59.999999,[],\"{\"\"x\"\":null,\"\"y\"\":null}\",[]",
                ",,,,,,,,,,,,,,,",
                "");
        assertEquals(expected, render(new CsvRenderer()));
    }

    @Test
    void tableAlignsColumnsAndCountsRows() throws Exception {
        List<ResultColumn> cols = List.of(col("id", PrimitiveType.INTEGER), col("name", PrimitiveType.STRING));
        StringBuilder out = new StringBuilder();
        try (ArrowFixture r = new ArrowFixture(cols, List.of(Arrays.asList(7, "ab"), Arrays.asList(1234, null)))) {
            new TableRenderer().renderRows(r, out);
        }
        assertEquals(String.join("\n",
                " id   | name",
                "------+------",
                "    7 | ab",
                " 1234 | NULL",
                "(2 rows)",
                ""), out.toString());
    }

    @Test
    void floatingPointUsesShortestRoundTripText() {
        assertEquals("0.1", ValueText.doubleText(0.1));
        assertEquals("0.30000000000000004", ValueText.doubleText(0.1 + 0.2));
        assertEquals("1.0", ValueText.doubleText(1.0));
        assertEquals("-0.0", ValueText.doubleText(-0.0));
        assertEquals("5E-324", ValueText.doubleText(Double.MIN_VALUE));
        assertEquals("1.7976931348623157E+308", ValueText.doubleText(Double.MAX_VALUE));
        assertEquals("1E+21", ValueText.doubleText(1e21));
        assertEquals("123456789012345680000.0", ValueText.doubleText(1.2345678901234568e20));
        assertEquals("2E+23", ValueText.doubleText(2e23));
        assertEquals("0.1", ValueText.floatText(0.1f));
        assertEquals("1E-45", ValueText.floatText(Float.MIN_VALUE));
        assertEquals("Infinity", ValueText.doubleText(Double.POSITIVE_INFINITY));
        for (double d : new double[] {Math.PI, 1e-7, 9.999999999999999e-8, 123.456, -5e-324, 1e300}) {
            assertEquals(d, Double.parseDouble(ValueText.doubleText(d)), "round trip of " + d);
        }
    }

    @Test
    void csvFieldQuoting() {
        assertEquals("\"\"", CsvRenderer.field(""));
        assertEquals("plain", CsvRenderer.field("plain"));
        assertEquals("\"a,b\"", CsvRenderer.field("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", CsvRenderer.field("say \"hi\""));
        assertEquals("\"two\r\nlines\"", CsvRenderer.field("two\r\nlines"));
    }
}

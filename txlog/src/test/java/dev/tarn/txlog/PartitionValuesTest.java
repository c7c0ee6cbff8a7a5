package dev.tarn.txlog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.txlog.types.DecimalType;
import dev.tarn.txlog.types.PrimitiveType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PartitionValuesTest {
    @Test
    void roundTripsEveryType() {
        Object[][] cases = {
                {true, PrimitiveType.BOOLEAN, "true"},
                {(byte) -3, PrimitiveType.BYTE, "-3"},
                {(short) 300, PrimitiveType.SHORT, "300"},
                {42, PrimitiveType.INTEGER, "42"},
                {-9_000_000_000L, PrimitiveType.LONG, "-9000000000"},
                {1.5f, PrimitiveType.FLOAT, "1.5"},
                {-0.25, PrimitiveType.DOUBLE, "-0.25"},
                {new BigDecimal("-123.40"), new DecimalType(5, 2), "-123.40"},
                {"a/b=c", PrimitiveType.STRING, "a/b=c"},
                {LocalDate.of(2024, 1, 31), PrimitiveType.DATE, "2024-01-31"},
                {Instant.parse("2024-01-01T01:02:03.000456Z"), PrimitiveType.TIMESTAMP, "2024-01-01T01:02:03.000456Z"},
                {LocalDateTime.of(2024, 1, 1, 1, 2, 3, 456_000), PrimitiveType.TIMESTAMP_NTZ, "2024-01-01 01:02:03.000456"},
        };
        for (Object[] c : cases) {
            var type = (dev.tarn.txlog.types.DataType) c[1];
            assertEquals(c[2], PartitionValues.serialize(c[0], type), type.simpleString());
            assertEquals(c[0], PartitionValues.parse((String) c[2], type), type.simpleString());
        }
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) PartitionValues.parse(
                PartitionValues.serialize(new byte[] {1, 2, 3}, PrimitiveType.BINARY), PrimitiveType.BINARY));
    }

    @Test
    void nullsAndEmptyStringsAreNull() {
        assertNull(PartitionValues.serialize(null, PrimitiveType.INTEGER));
        assertNull(PartitionValues.parse(null, PrimitiveType.INTEGER));
        assertNull(PartitionValues.parse("", PrimitiveType.STRING));
    }

    @Test
    void timestampFormsSparkAndOthersWrite() {
        assertEquals(Instant.parse("2021-09-08T11:11:11Z"), PartitionValues.parse("2021-09-08 11:11:11", PrimitiveType.TIMESTAMP));
        assertEquals(Instant.parse("2021-09-08T18:11:11Z"), PartitionValues.parse("2021-09-08 11:11:11",
                PrimitiveType.TIMESTAMP, ZoneId.of("America/Los_Angeles")));
        assertEquals(Instant.parse("1971-07-22T03:06:40Z"),
                PartitionValues.parse("1971-07-22T03:06:40.000000Z", PrimitiveType.TIMESTAMP));
        assertEquals(Instant.parse("2024-01-01T00:00:00.123Z"),
                PartitionValues.parse("2024-01-01 02:00:00.123+02:00", PrimitiveType.TIMESTAMP));
        assertEquals(LocalDateTime.of(2013, 7, 5, 17, 1, 0, 123_456_000),
                PartitionValues.parse("2013-07-05 17:01:00.123456", PrimitiveType.TIMESTAMP_NTZ));
    }

    @Test
    void badValuesAreCorruptLog() {
        TarnException e = assertThrows(TarnException.class, () -> PartitionValues.parse("x1", PrimitiveType.INTEGER));
        assertEquals(ErrorCode.CORRUPT_LOG, e.errorCode());
    }

    @Test
    void directoriesUseHiveEscaping() {
        Map<String, String> values = new HashMap<>();
        values.put("a", "x:y/z%");
        values.put("b", null);
        values.put("c", "plain value");
        assertEquals("a=x%3Ay%2Fz%25/b=__HIVE_DEFAULT_PARTITION__/c=plain value/",
                PartitionPaths.directoryFor(List.of("a", "b", "c"), values));
        // The log path is the URI form: '%' and ' ' are encoded once more, as delta-spark writes.
        assertEquals("a=x%253Ay%252Fz%2525/b=__HIVE_DEFAULT_PARTITION__/c=plain%20value/f.parquet",
                PartitionPaths.toLogPath(PartitionPaths.directoryFor(List.of("a", "b", "c"), values) + "f.parquet"));
        assertEquals("x:y/z%", PartitionPaths.unescape("x%3Ay%2Fz%25"));
        assertEquals(List.of("a"), Arrays.asList("a"));
    }
}

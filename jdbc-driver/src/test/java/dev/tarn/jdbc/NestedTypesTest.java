package dev.tarn.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.testdata.SharedTestData;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.sql.Struct;
import java.sql.Types;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ARRAY, STRUCT and MAP values through JDBC, read from Spark-written conformance tables ({@code maps},
 * {@code nested-arrays-maps}): ARRAY is java.sql.Array, STRUCT java.sql.Struct, MAP java.util.Map; inside a MAP or
 * a STRUCT arrays are java.util.List and structs java.sql.Struct.
 */
class NestedTypesTest {
    @TempDir
    Path lake;

    @BeforeEach
    void copyTables() throws IOException {
        for (String t : List.of("maps", "nested-arrays-maps")) {
            copy(SharedTestData.deltaTable(t), lake.resolve("default").resolve(t.replace('-', '_')));
        }
    }

    @Test
    void mapsOfEveryKind() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:tarn:" + lake);
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select * from maps where i = 3")) {
            ResultSetMetaData md = rs.getMetaData();
            assertEquals(Types.JAVA_OBJECT, md.getColumnType(2));
            assertEquals("MAP<INT, INT>", md.getColumnTypeName(2));
            assertEquals("java.util.Map", md.getColumnClassName(2));
            assertTrue(rs.next());
            assertEquals(Map.of(3, 3), rs.getObject("a"));
            assertEquals(Map.of(3L, (byte) 3), rs.getObject("b"));
            assertEquals(Map.of((short) 3, false), rs.getObject("c"));
            assertEquals(Map.of(3.0f, 3.0), rs.getObject("d"));
            assertEquals(Map.of("3", new BigDecimal("3")), rs.getObject("e"));
            Map<?, ?> f = (Map<?, ?>) rs.getObject("f");
            List<?> structs = (List<?>) f.get(3);
            assertEquals(3, structs.size());
            Struct first = assertInstanceOf(Struct.class, structs.get(0));
            assertArrayEquals(new Object[] {3}, first.getAttributes());
        }
    }

    @Test
    void nestedArraysAndStructs() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:tarn:" + lake);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select * from nested_arrays_maps where i = 2")) {
            ResultSetMetaData md = rs.getMetaData();
            assertEquals(Types.ARRAY, md.getColumnType(2));
            assertEquals("ARRAY<ARRAY<ARRAY<INT>>>", md.getColumnTypeName(2));
            assertEquals("java.sql.Array", md.getColumnClassName(2));
            assertTrue(rs.next());

            Array three = rs.getArray(2);
            Object[] outer = (Object[]) three.getArray();
            assertEquals(2, outer.length);
            Object[] middle = (Object[]) ((Array) outer[0]).getArray();
            assertEquals(2, middle.length);
            assertArrayEquals(new Object[] {2, 2, 2}, (Object[]) ((Array) middle[0]).getArray());

            Object[] listOfMaps = (Object[]) rs.getArray("list_of_maps").getArray();
            assertEquals(List.of(Map.of("2", 2L), Map.of("2", 2L)), List.of(listOfMaps));

            Object[] records = (Object[]) rs.getArray("list_of_records").getArray();
            assertEquals(3, records.length);
            assertArrayEquals(new Object[] {2}, assertInstanceOf(Struct.class, records[0]).getAttributes());
            assertTrue(rs.getObject("list_of_records") instanceof Array);
        }
    }

    @Test
    void nestedAsJsonForToolsWithoutArrayOrStructSupport() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:tarn:" + lake + ";nested_as_json=true");
             Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select * from nested_arrays_maps where i = 2")) {
                ResultSetMetaData md = rs.getMetaData();
                assertEquals(Types.VARCHAR, md.getColumnType(2));
                assertEquals("ARRAY<ARRAY<ARRAY<INT>>>", md.getColumnTypeName(2));
                assertEquals("java.lang.String", md.getColumnClassName(2));
                assertTrue(rs.next());
                assertTrue(rs.getString(2).startsWith("[[[2,2,2],"), rs.getString(2));
                assertEquals("[{\"2\":2},{\"2\":2}]", rs.getObject("list_of_maps"));
                assertTrue(rs.getString("list_of_records").startsWith("[[2],"), rs.getString("list_of_records"));
                assertEquals(2, rs.getInt("i"));
            }
            try (ResultSet rs = s.executeQuery("select a, e from maps where i = 3")) {
                assertTrue(rs.next());
                assertEquals("{\"3\":3}", rs.getString("a"));
                assertEquals("{\"3\":3}", rs.getString("e"));
            }
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}

package dev.tarn.testdata.tpch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.time.LocalDate;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;

class TpchGeneratorTest {

    @Test
    void everyTableHasTheReferenceRowCountAtScaleFactorOneHundredth() {
        try (BufferAllocator allocator = new RootAllocator()) {
            for (String table : TpchGenerator.TABLES) {
                assertEquals(TpchGenerator.ROWS_AT_SF_0_01.get(table), count(table, 1, 1, allocator), table);
            }
            assertEquals(0, allocator.getAllocatedMemory());
        }
    }

    @Test
    void partsTogetherAreTheWholeTable() {
        try (BufferAllocator allocator = new RootAllocator()) {
            long sum = 0;
            for (int part = 1; part <= 3; part++) {
                sum += count("orders", part, 3, allocator);
            }
            assertEquals(15000, sum);
        }
    }

    @Test
    void lineitemColumnsHaveTarnTypesAndDbgenValues() {
        assertEquals("CREATE TABLE tpch.region (r_regionkey BIGINT, r_name STRING, r_comment STRING)",
                TpchGenerator.createTableSql("tpch.region", "region"));
        try (BufferAllocator allocator = new RootAllocator();
             TpchBatches batches = TpchGenerator.batches("lineitem", 0.01, allocator)) {
            VectorSchemaRoot b = batches.next();
            assertEquals(TpchGenerator.arrowSchema("lineitem"), b.getSchema());
            assertEquals(8192, b.getRowCount());
            // dbgen's first lineitem row: order 1, line 1.
            assertEquals(1L, ((BigIntVector) b.getVector("l_orderkey")).get(0));
            assertEquals(1, ((IntVector) b.getVector("l_linenumber")).get(0));
            assertEquals(new BigDecimal("17.00"), ((DecimalVector) b.getVector("l_quantity")).getObject(0));
            assertEquals(new BigDecimal("0.04"), ((DecimalVector) b.getVector("l_discount")).getObject(0));
            assertEquals("N", new String(((VarCharVector) b.getVector("l_returnflag")).get(0)));
            assertEquals(LocalDate.parse("1996-03-13"),
                    LocalDate.ofEpochDay(((DateDayVector) b.getVector("l_shipdate")).get(0)));
        }
    }

    @Test
    void rejectsUnknownTablesAndBadScale() {
        assertThrows(IllegalArgumentException.class, () -> TpchGenerator.columns("lineitems"));
        try (BufferAllocator allocator = new RootAllocator()) {
            assertThrows(IllegalArgumentException.class, () -> TpchGenerator.batches("orders", 0, allocator));
            assertThrows(IllegalArgumentException.class,
                    () -> TpchGenerator.batches("orders", 1, 3, 2, allocator, 100));
        }
    }

    private static long count(String table, int part, int parts, BufferAllocator allocator) {
        long rows = 0;
        try (TpchBatches batches = TpchGenerator.batches(table, 0.01, part, parts, allocator, 1000)) {
            for (VectorSchemaRoot b = batches.next(); b != null; b = batches.next()) {
                rows += b.getRowCount();
            }
            assertEquals(rows, batches.rowCount());
        }
        return rows;
    }
}

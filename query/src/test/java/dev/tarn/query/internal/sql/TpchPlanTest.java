package dev.tarn.query.internal.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.tarn.testdata.SharedTestData;
import dev.tarn.txlog.types.DataType;
import dev.tarn.txlog.types.DecimalType;
import dev.tarn.txlog.types.PrimitiveType;
import dev.tarn.txlog.types.StructField;
import dev.tarn.txlog.types.StructType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * All 22 TPC-H queries (shared test data) plan and run through Tarn's operators over TPC-H-shaped tables (types as
 * the reference data: keys BIGINT, integers INT, money DECIMAL(15,2), dates DATE, text STRING) holding a few
 * hand-made rows. The answers at scale are checked elsewhere; this guards that every construct is supported.
 */
class TpchPlanTest extends EngineFixture {
    private static final DataType MONEY = new DecimalType(15, 2);

    private static StructType schema(Object... nameTypes) {
        List<StructField> fields = new ArrayList<>();
        for (int i = 0; i < nameTypes.length; i += 2) {
            fields.add(new StructField((String) nameTypes[i], (DataType) nameTypes[i + 1], true));
        }
        return new StructType(fields);
    }

    @BeforeEach
    void tpchTables() {
        PrimitiveType k = PrimitiveType.LONG;
        PrimitiveType i = PrimitiveType.INTEGER;
        PrimitiveType s = PrimitiveType.STRING;
        PrimitiveType d = PrimitiveType.DATE;
        InMemoryTable region = new InMemoryTable("region", schema("r_regionkey", k, "r_name", s, "r_comment", s), 2)
                .row(0L, "EUROPE", "c").row(1L, "ASIA", "c");
        InMemoryTable nation = new InMemoryTable("nation", schema("n_nationkey", k, "n_name", s, "n_regionkey", k,
                "n_comment", s), 2)
                .row(0L, "GERMANY", 0L, "c").row(1L, "FRANCE", 0L, "c").row(2L, "SAUDI ARABIA", 1L, "c")
                .row(3L, "CANADA", 1L, "c");
        InMemoryTable supplier = new InMemoryTable("supplier", schema("s_suppkey", k, "s_name", s, "s_address", s,
                "s_nationkey", k, "s_phone", s, "s_acctbal", MONEY, "s_comment", s), 2)
                .row(1L, "Supplier#1", "addr", 0L, "10-111", dec("100.00"), "Customer Complaints here")
                .row(2L, "Supplier#2", "addr", 2L, "30-222", dec("200.00"), "fine");
        InMemoryTable part = new InMemoryTable("part", schema("p_partkey", k, "p_name", s, "p_mfgr", s, "p_brand", s,
                "p_type", s, "p_size", i, "p_container", s, "p_retailprice", MONEY, "p_comment", s), 2)
                .row(1L, "forest green", "Manufacturer#1", "Brand#12", "PROMO BRUSHED BRASS", 15L, "SM CASE", dec("900.00"), "c")
                .row(2L, "blue lace", "Manufacturer#2", "Brand#23", "LARGE BRUSHED BRASS", 49L, "MED BOX", dec("901.00"), "c");
        InMemoryTable partsupp = new InMemoryTable("partsupp", schema("ps_partkey", k, "ps_suppkey", k,
                "ps_availqty", i, "ps_supplycost", MONEY, "ps_comment", s), 2)
                .row(1L, 1L, 100L, dec("10.00"), "c").row(2L, 2L, 5000L, dec("20.00"), "c").row(1L, 2L, 7L, dec("9.00"), "c");
        InMemoryTable customer = new InMemoryTable("customer", schema("c_custkey", k, "c_name", s, "c_address", s,
                "c_nationkey", k, "c_phone", s, "c_acctbal", MONEY, "c_mktsegment", s, "c_comment", s), 2)
                .row(1L, "Customer#1", "a", 0L, "13-555", dec("5000.00"), "BUILDING", "c")
                .row(2L, "Customer#2", "a", 2L, "31-555", dec("7000.00"), "AUTOMOBILE", "c")
                .row(3L, "Customer#3", "a", 3L, "17-555", dec("9000.00"), "BUILDING", "c");
        InMemoryTable orders = new InMemoryTable("orders", schema("o_orderkey", k, "o_custkey", k, "o_orderstatus", s,
                "o_totalprice", MONEY, "o_orderdate", d, "o_orderpriority", s, "o_clerk", s, "o_shippriority", i,
                "o_comment", s), 2)
                .row(1L, 1L, "F", dec("1000.00"), day("1995-03-01"), "1-URGENT", "Clerk#1", 0L, "c")
                .row(2L, 2L, "F", dec("2000.00"), day("1994-01-10"), "5-LOW", "Clerk#2", 0L, "special requests")
                .row(3L, 1L, "O", dec("3000.00"), day("1996-06-01"), "2-HIGH", "Clerk#1", 0L, "c");
        InMemoryTable lineitem = new InMemoryTable("lineitem", schema("l_orderkey", k, "l_partkey", k, "l_suppkey", k,
                "l_linenumber", i, "l_quantity", MONEY, "l_extendedprice", MONEY, "l_discount", MONEY, "l_tax", MONEY,
                "l_returnflag", s, "l_linestatus", s, "l_shipdate", d, "l_commitdate", d, "l_receiptdate", d,
                "l_shipinstruct", s, "l_shipmode", s, "l_comment", s), 2)
                .row(1L, 1L, 1L, 1L, dec("10.00"), dec("1000.00"), dec("0.05"), dec("0.01"), "R", "F", day("1995-03-20"),
                        day("1995-03-10"), day("1995-03-25"), "DELIVER IN PERSON", "AIR", "c")
                .row(2L, 2L, 2L, 1L, dec("20.00"), dec("2000.00"), dec("0.06"), dec("0.02"), "A", "F", day("1994-02-01"),
                        day("1994-03-01"), day("1994-02-05"), "NONE", "MAIL", "c")
                .row(3L, 1L, 2L, 1L, dec("300.00"), dec("3000.00"), dec("0.00"), dec("0.00"), "N", "O", day("1996-07-01"),
                        day("1996-07-05"), day("1996-07-10"), "DELIVER IN PERSON", "SHIP", "c");
        catalog.add("default", "region", region).add("default", "nation", nation).add("default", "supplier", supplier)
                .add("default", "part", part).add("default", "partsupp", partsupp).add("default", "customer", customer)
                .add("default", "orders", orders).add("default", "lineitem", lineitem);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22})
    void queryRuns(int q) throws IOException {
        Path file = SharedTestData.tpch().resolve("queries").resolve(String.format("q%02d.sql", q));
        String sql = Files.readString(file);
        PlannedStatement statement = plan(sql);
        assertFalse(statement.columns().isEmpty());
        List<List<Object>> rows = run(statement);
        assertEquals(rows, run(statement), "a plan runs again with the same result");
        if (q == 1) {
            assertEquals(List.of("A", "N", "R"), rows.stream().map(r -> r.get(0)).toList());
            assertEquals(List.of(dec("20.00"), dec("300.00"), dec("10.00")), rows.stream().map(r -> r.get(2)).toList());
        }
        if (q == 6) {
            assertEquals(0, dec("120.00").compareTo((java.math.BigDecimal) rows.get(0).get(0)), rows.toString());
        }
    }

    /**
     * Planners on several threads share Calcite's metadata handlers ({@link SharedMetadataHandlers}): planning all
     * 22 queries at once, over and over, gives each query the plan it gets alone.
     */
    @Test
    void concurrentPlannersMakeTheSamePlans() throws Exception {
        List<String> queries = new ArrayList<>();
        List<String> alone = new ArrayList<>();
        for (int q = 1; q <= 22; q++) {
            String sql = Files.readString(SharedTestData.tpch().resolve("queries").resolve(String.format("q%02d.sql", q)));
            queries.add(sql);
            alone.add(explain(sql));
        }
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t * 5;
                results.add(pool.submit(() -> {
                    List<String> plans = new ArrayList<>(Collections.nCopies(queries.size(), (String) null));
                    for (int round = 0; round < 3; round++) {
                        for (int i = 0; i < queries.size(); i++) {
                            // Each thread starts at another query, so different queries plan at the same time.
                            int q = (i + offset) % queries.size();
                            String plan = explain(queries.get(q));
                            if (plans.get(q) != null) {
                                assertEquals(plans.get(q), plan, "plan of q" + (q + 1) + " in a later round");
                            }
                            plans.set(q, plan);
                        }
                    }
                    return plans;
                }));
            }
            for (Future<List<String>> result : results) {
                List<String> plans = result.get();
                for (int q = 0; q < alone.size(); q++) {
                    assertEquals(alone.get(q), plans.get(q), "plan of q" + (q + 1));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private String explain(String sql) {
        return assertInstanceOf(QueryStatement.class, plan(sql)).explain();
    }
}

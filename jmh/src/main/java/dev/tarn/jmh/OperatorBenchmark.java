package dev.tarn.jmh;

import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.Operator;
import dev.tarn.query.internal.expression.ArithmeticExpr;
import dev.tarn.query.internal.expression.ColumnRef;
import dev.tarn.query.internal.expression.CompareExpr;
import dev.tarn.query.internal.expression.Constant;
import dev.tarn.query.internal.expression.Expr;
import dev.tarn.query.internal.expression.LogicalExpr;
import dev.tarn.query.internal.operator.Accumulators;
import dev.tarn.query.internal.operator.Batches;
import dev.tarn.query.internal.operator.Bindings;
import dev.tarn.query.internal.operator.FilterOperator;
import dev.tarn.query.internal.operator.HashAggregateOperator;
import dev.tarn.query.internal.operator.HashJoinOperator;
import dev.tarn.query.internal.operator.ProjectOperator;
import dev.tarn.query.internal.operator.SortOperator;
import dev.tarn.txlog.types.DataType;
import dev.tarn.txlog.types.DecimalType;
import dev.tarn.txlog.types.PrimitiveType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Query operators and expression kernels over in-memory Arrow batches shaped like TPC-H's lineitem (key BIGINT,
 * quantity/price/discount DECIMAL(15,2), price DOUBLE, ship date DATE, flag STRING), one thread: filter kernels
 * (DECIMAL and DATE comparisons against constants), projection kernels (DECIMAL and DOUBLE arithmetic), hash
 * aggregation (few and many groups; BIGINT, string and composite keys), hash join (build 1/8 of the rows, probe
 * all; BIGINT, string and BIGINT+string keys), and sort. Rows per second =
 * rows / score. Run: {@code java -jar jmh/target/tarn-jmh-benchmarks.jar OperatorBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED"})
public class OperatorBenchmark {
    static final DecimalType MONEY = new DecimalType(15, 2);
    static final List<ResultColumn> COLUMNS = List.of(
            new ResultColumn("key", PrimitiveType.LONG, true),
            new ResultColumn("quantity", MONEY, true),
            new ResultColumn("price", MONEY, true),
            new ResultColumn("discount", MONEY, true),
            new ResultColumn("dprice", PrimitiveType.DOUBLE, true),
            new ResultColumn("shipdate", PrimitiveType.DATE, true),
            new ResultColumn("flag", PrimitiveType.STRING, true),
            new ResultColumn("status", PrimitiveType.STRING, true),
            new ResultColumn("name", PrimitiveType.STRING, true));

    @Param("1000000")
    public int rows;

    private BufferAllocator allocator;
    private ExecutorService executor;
    private List<VectorSchemaRoot> batches;
    private List<VectorSchemaRoot> buildBatches;

    @Setup
    public void setUp() {
        allocator = new RootAllocator();
        executor = Executors.newSingleThreadExecutor();
        batches = generate(rows, 1);
        buildBatches = generate(Math.max(rows / 8, 1), 2);
    }

    @TearDown
    public void tearDown() {
        batches.forEach(VectorSchemaRoot::close);
        buildBatches.forEach(VectorSchemaRoot::close);
        executor.shutdownNow();
        allocator.close();
    }

    /** Q6's shape: {@code discount BETWEEN 0.05 AND 0.07 AND quantity < 24} over DECIMAL(15,2). */
    @Benchmark
    public long filterDecimal() {
        Expr predicate = new LogicalExpr(LogicalExpr.Op.AND, List.of(
                compare(CompareExpr.Op.GE, 3, MONEY, new BigDecimal("0.05")),
                compare(CompareExpr.Op.LE, 3, MONEY, new BigDecimal("0.07")),
                compare(CompareExpr.Op.LT, 1, MONEY, new BigDecimal("24.00"))));
        return drain(new FilterOperator(source(), predicate, bindings()));
    }

    /** A one-year ship date range over DATE. */
    @Benchmark
    public long filterDate() {
        Expr predicate = new LogicalExpr(LogicalExpr.Op.AND, List.of(
                compare(CompareExpr.Op.GE, 5, PrimitiveType.DATE, 8766),
                compare(CompareExpr.Op.LT, 5, PrimitiveType.DATE, 9131)));
        return drain(new FilterOperator(source(), predicate, bindings()));
    }

    /** Q1's {@code price * (1 - discount)} in DECIMAL. */
    @Benchmark
    public long projectDecimal() {
        DecimalType oneMinus = new DecimalType(16, 2);
        Expr expr = new ArithmeticExpr(ArithmeticExpr.Op.TIMES, new DecimalType(31, 4), new ColumnRef(2, MONEY),
                new ArithmeticExpr(ArithmeticExpr.Op.MINUS, oneMinus, Constant.literal(new DecimalType(1, 0),
                        BigDecimal.ONE), new ColumnRef(3, MONEY)));
        return drain(new ProjectOperator(source(), List.of(expr),
                List.of(new ResultColumn("disc_price", expr.type(), true)), bindings()));
    }

    /** The same shape in DOUBLE. */
    @Benchmark
    public long projectDouble() {
        Expr expr = new ArithmeticExpr(ArithmeticExpr.Op.TIMES, PrimitiveType.DOUBLE,
                new ColumnRef(4, PrimitiveType.DOUBLE), new ColumnRef(4, PrimitiveType.DOUBLE));
        return drain(new ProjectOperator(source(), List.of(expr),
                List.of(new ResultColumn("x", PrimitiveType.DOUBLE, true)), bindings()));
    }

    /** Q1's shape: four groups by a string flag, SUM of a DECIMAL and COUNT(*). */
    @Benchmark
    public long hashAggregateFewGroups() {
        return aggregate(6, PrimitiveType.STRING);
    }

    /** One group per ~8 rows by a BIGINT key. */
    @Benchmark
    public long hashAggregateManyGroups() {
        return aggregate(0, PrimitiveType.LONG);
    }

    /** Q1's keys: two one-character strings (eight groups). */
    @Benchmark
    public long hashAggregateTwoStrings() {
        return aggregate(new int[] {6, 7});
    }

    /** One group per ~8 rows by a string ("Customer#000012345"). */
    @Benchmark
    public long hashAggregateManyStrings() {
        return aggregate(new int[] {8});
    }

    /** Q10's shape: many groups by a BIGINT, a string and a DECIMAL together. */
    @Benchmark
    public long hashAggregateComposite() {
        return aggregate(new int[] {0, 8, 1});
    }

    /** Inner join on a string key. */
    @Benchmark
    public long hashJoinString() {
        return join(new int[] {8});
    }

    /** Inner join on a BIGINT and a string (composite key, as partsupp's). */
    @Benchmark
    public long hashJoinComposite() {
        return join(new int[] {0, 7});
    }

    /** Inner join on a BIGINT key: build over {@code rows / 8} rows, probe with {@code rows}. */
    @Benchmark
    public long hashJoin() {
        return join(new int[] {0});
    }

    private long join(int[] keys) {
        List<ResultColumn> out = new ArrayList<>(COLUMNS);
        for (ResultColumn c : COLUMNS) {
            out.add(new ResultColumn("b_" + c.name(), c.type(), true));
        }
        return drain(new HashJoinOperator(source(), new BatchReplay(COLUMNS, buildBatches), keys, keys,
                HashJoinOperator.Mode.INNER, true, out));
    }

    /** ORDER BY a DECIMAL descending, then a BIGINT. */
    @Benchmark
    public long sort() {
        return drain(new SortOperator(source(), List.of(new SortOperator.Key(2, true, false),
                new SortOperator.Key(0, false, false)), 0, -1));
    }

    private long aggregate(int[] groupColumns) {
        List<HashAggregateOperator.Call> calls = List.of(
                new HashAggregateOperator.Call(Accumulators.Function.SUM, 2, false, -1, MONEY,
                        new DecimalType(38, 2), null),
                new HashAggregateOperator.Call(Accumulators.Function.COUNT, -1, false, -1, null,
                        PrimitiveType.LONG, null));
        List<ResultColumn> out = new ArrayList<>();
        for (int g : groupColumns) {
            out.add(COLUMNS.get(g));
        }
        out.add(new ResultColumn("s", new DecimalType(38, 2), true));
        out.add(new ResultColumn("n", PrimitiveType.LONG, false));
        return drain(new HashAggregateOperator(source(), groupColumns, calls, out));
    }

    private long aggregate(int groupColumn, DataType groupType) {
        List<HashAggregateOperator.Call> calls = List.of(
                new HashAggregateOperator.Call(Accumulators.Function.SUM, 2, false, -1, MONEY,
                        new DecimalType(38, 2), null),
                new HashAggregateOperator.Call(Accumulators.Function.COUNT, -1, false, -1, null,
                        PrimitiveType.LONG, null));
        List<ResultColumn> out = List.of(new ResultColumn("g", groupType, true),
                new ResultColumn("s", new DecimalType(38, 2), true), new ResultColumn("n", PrimitiveType.LONG, false));
        return drain(new HashAggregateOperator(source(), new int[] {groupColumn}, calls, out));
    }

    private static Expr compare(CompareExpr.Op op, int column, DataType type, Object constant) {
        return new CompareExpr(op, new ColumnRef(column, type), Constant.literal(type, constant));
    }

    private Operator source() {
        return new BatchReplay(COLUMNS, batches);
    }

    private static Bindings bindings() {
        return new Bindings(List.of(), Instant.EPOCH);
    }

    /** Runs an operator to the end and returns its output row count. */
    private long drain(Operator op) {
        long n = 0;
        try (op) {
            op.open(new ExecutionContext(allocator, executor, 1, ZoneOffset.UTC));
            for (VectorSchemaRoot b = op.next(); b != null; b = op.next()) {
                n += b.getRowCount();
            }
        }
        return n;
    }

    /** Deterministic lineitem-like rows; {@code seed} 2 makes the join's build side (keys 0 .. n-1, each once). */
    private List<VectorSchemaRoot> generate(int n, int seed) {
        SplittableRandom random = new SplittableRandom(seed);
        String[] flags = {"A", "N", "R", "F"};
        List<VectorSchemaRoot> out = new ArrayList<>();
        for (int start = 0; start < n; start += Batches.BATCH_ROWS) {
            int count = Math.min(Batches.BATCH_ROWS, n - start);
            VectorSchemaRoot root = Batches.newRoot(COLUMNS, allocator);
            for (int i = 0; i < count; i++) {
                long row = start + i;
                long key = seed == 2 ? row : random.nextLong(Math.max(n / 8, 1));
                ((BigIntVector) root.getVector(0)).setSafe(i, key);
                ((DecimalVector) root.getVector(1)).setSafe(i, 100L * (1 + random.nextInt(50)));
                ((DecimalVector) root.getVector(2)).setSafe(i, 90_000L + random.nextLong(10_000_000L));
                ((DecimalVector) root.getVector(3)).setSafe(i, random.nextInt(11));
                ((Float8Vector) root.getVector(4)).setSafe(i, random.nextDouble() * 100_000);
                ((DateDayVector) root.getVector(5)).setSafe(i, 8035 + random.nextInt(2526));
                ((VarCharVector) root.getVector(6)).setSafe(i, flags[random.nextInt(4)].getBytes());
                // Functions of the key, so joins on them match as the key does.
                ((VarCharVector) root.getVector(7)).setSafe(i, (key % 2 == 0 ? "F" : "O").getBytes());
                ((VarCharVector) root.getVector(8)).setSafe(i, String.format("Customer#%09d", key).getBytes());
            }
            root.setRowCount(count);
            out.add(root);
        }
        return out;
    }
}

package dev.tarn.query.internal.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.MorselScan;
import dev.tarn.query.internal.execution.MorselSource;
import dev.tarn.query.internal.execution.Operator;
import dev.tarn.query.internal.execution.Pipeline;
import dev.tarn.query.internal.execution.Region;
import dev.tarn.txlog.types.PrimitiveType;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The parallel gather returns the rows in morsel order, and a gather reading whole (a join's build side) lets a
 * worker ahead of the head morsel run to its end instead of holding it back.
 */
class GatherOperatorTest {
    private static final List<ResultColumn> COLUMNS = List.of(new ResultColumn("v", PrimitiveType.LONG, false));
    /** Batches of the second morsel: more than a bounded gather of two workers queues (2 * 2 + 2). */
    private static final int AHEAD_BATCHES = 20;

    private final RootAllocator allocator = new RootAllocator();
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "gather-test-worker");
        t.setDaemon(true);
        return t;
    });

    @AfterEach
    void close() throws InterruptedException {
        executor.shutdownNow();
        assertTrue(executor.awaitTermination(10, TimeUnit.SECONDS));
        assertEquals(0, allocator.getAllocatedMemory());
        allocator.close();
    }

    @Test
    void readingWholeDoesNotHoldBackAWorkerAheadOfTheHeadMorsel() {
        TwoMorsels pipeline = new TwoMorsels();
        List<Long> values = drain(GatherOperator.readingWhole(pipeline));
        // The head morsel's worker waited for the other morsel's worker to produce all of its batches first.
        assertTrue(pipeline.aheadFinishedFirst, "the worker of the second morsel was held back");
        assertEquals(pipeline.expected(), values);
    }

    @Test
    void boundedGatherKeepsTheSingleThreadedOrder() {
        TwoMorsels pipeline = new TwoMorsels();
        pipeline.headWaitMillis = 0;
        assertEquals(pipeline.expected(), drain(new GatherOperator(pipeline)));
    }

    @Test
    void ownedBatchesOutliveTheGatherOnOneThreadAndOnTwo() {
        for (int threads : new int[] {1, 2}) {
            TwoMorsels pipeline = new TwoMorsels();
            pipeline.headWaitMillis = 0;
            List<VectorSchemaRoot> owned = new ArrayList<>();
            ExecutionContext context = new ExecutionContext(allocator, executor, threads, ZoneOffset.UTC);
            try (GatherOperator gather = GatherOperator.readingWhole(pipeline)) {
                gather.open(context);
                for (VectorSchemaRoot b = Batches.nextOwned(gather, COLUMNS, allocator); b != null;
                     b = Batches.nextOwned(gather, COLUMNS, allocator)) {
                    owned.add(b);
                }
            }
            // The gather and its workers are closed; the batches the caller took are still whole and its own.
            List<Long> values = new ArrayList<>();
            for (VectorSchemaRoot b : owned) {
                BigIntVector v = (BigIntVector) b.getVector(0);
                for (int i = 0; i < b.getRowCount(); i++) {
                    values.add(v.get(i));
                }
                b.close();
            }
            assertEquals(pipeline.expected(), values, threads + " threads");
            assertEquals(0, allocator.getAllocatedMemory());
        }
    }

    private List<Long> drain(GatherOperator gather) {
        List<Long> values = new ArrayList<>();
        ExecutionContext context = new ExecutionContext(allocator, executor, 2, ZoneOffset.UTC);
        try (gather) {
            gather.open(context);
            for (VectorSchemaRoot b = gather.next(); b != null; b = gather.next()) {
                BigIntVector v = (BigIntVector) b.getVector(0);
                for (int i = 0; i < b.getRowCount(); i++) {
                    values.add(v.get(i));
                }
            }
        }
        return values;
    }

    /**
     * A pipeline over two morsels: morsel 0 is one batch whose worker first waits (up to {@link #headWaitMillis})
     * until morsel 1's worker has produced its {@value #AHEAD_BATCHES} batches; values are morsel * 1000 + batch.
     */
    private final class TwoMorsels implements Pipeline {
        final CountDownLatch aheadDone = new CountDownLatch(1);
        volatile boolean aheadFinishedFirst;
        long headWaitMillis = 20_000;

        List<Long> expected() {
            List<Long> values = new ArrayList<>(List.of(0L));
            for (int b = 0; b < AHEAD_BATCHES; b++) {
                values.add(1000L + b);
            }
            return values;
        }

        @Override
        public List<ResultColumn> columns() {
            return COLUMNS;
        }

        @Override
        public boolean splittable() {
            return true;
        }

        @Override
        public Operator instantiate() {
            Scan scan = new Scan();
            scan.readFrom(new MorselSource(scan.morsels(1), 1, null), 0);
            return scan;
        }

        @Override
        public Operator instantiate(Region region, int worker) {
            Scan scan = new Scan();
            region.attach(scan, worker);
            return scan;
        }

        private final class Scan implements Operator, MorselScan {
            private MorselSource source;
            private int worker;
            private int morsel = -1;
            private int emitted;
            private VectorSchemaRoot batch;

            @Override
            public List<?> morsels(int workers) {
                return List.of("head", "ahead");
            }

            @Override
            public void readFrom(MorselSource source, int worker) {
                this.source = source;
                this.worker = worker;
            }

            @Override
            public int currentMorsel() {
                return morsel;
            }

            @Override
            public List<ResultColumn> columns() {
                return COLUMNS;
            }

            @Override
            public void open(ExecutionContext context) {
                batch = Batches.newRoot(COLUMNS, context.allocator());
            }

            @Override
            public VectorSchemaRoot next() {
                int limit = morsel == 0 ? 1 : AHEAD_BATCHES;
                if (morsel < 0 || emitted >= limit) {
                    if (morsel == 1) {
                        aheadDone.countDown();
                    }
                    morsel = source.claim(worker);
                    emitted = 0;
                    if (morsel < 0) {
                        return null;
                    }
                }
                if (morsel == 0) {
                    try {
                        aheadFinishedFirst = aheadDone.await(headWaitMillis, TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                }
                BigIntVector v = (BigIntVector) batch.getVector(0);
                v.setSafe(0, morsel * 1000L + emitted++);
                v.setValueCount(1);
                batch.setRowCount(1);
                return batch;
            }

            @Override
            public void close() {
                if (batch != null) {
                    batch.close();
                }
            }
        }
    }
}

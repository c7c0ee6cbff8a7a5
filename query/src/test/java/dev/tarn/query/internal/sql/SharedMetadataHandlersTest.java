package dev.tarn.query.internal.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.plan.hep.HepProgram;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.logical.LogicalValues;
import org.apache.calcite.rel.metadata.BuiltInMetadata;
import org.apache.calcite.rel.metadata.DefaultRelMetadataProvider;
import org.apache.calcite.rel.metadata.ProxyingMetadataHandlerProvider;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rex.RexBuilder;
import org.junit.jupiter.api.Test;

/** Calcite's metadata handlers are made once per handler type and answer for every planner that shares them. */
class SharedMetadataHandlersTest {
    @Test
    void oneHandlerPerTypeEvenWhenThreadsAskAtOnce() throws Exception {
        SharedMetadataHandlers shared = new SharedMetadataHandlers(
                new ProxyingMetadataHandlerProvider(DefaultRelMetadataProvider.INSTANCE));
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<BuiltInMetadata.RowCount.Handler>> asked = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Callable<BuiltInMetadata.RowCount.Handler> ask = () -> {
                    start.await();
                    return shared.handler(BuiltInMetadata.RowCount.Handler.class);
                };
                asked.add(pool.submit(ask));
            }
            start.countDown();
            BuiltInMetadata.RowCount.Handler first = asked.get(0).get();
            for (Future<BuiltInMetadata.RowCount.Handler> f : asked) {
                assertSame(first, f.get());
            }
            assertSame(first, shared.handler(BuiltInMetadata.RowCount.Handler.class));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void queriesOfSeparatePlannersAnswerThroughTheSharedHandlers() {
        for (int planner = 0; planner < 2; planner++) {
            RelOptCluster cluster = RelOptCluster.create(new HepPlanner(HepProgram.builder().build()),
                    new RexBuilder(new JavaTypeFactoryImpl()));
            cluster.setMetadataQuerySupplier(() -> new RelMetadataQuery(SharedMetadataHandlers.INSTANCE));
            RelNode oneRow = LogicalValues.createOneRow(cluster);
            RelMetadataQuery mq = cluster.getMetadataQuery();
            assertEquals(1.0, mq.getRowCount(oneRow));
            assertEquals(1.0, mq.getMaxRowCount(oneRow));
        }
    }
}

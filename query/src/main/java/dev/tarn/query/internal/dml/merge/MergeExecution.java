package dev.tarn.query.internal.dml.merge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tarn.query.internal.dml.ChangeType;
import dev.tarn.query.internal.dml.DmlResult;
import dev.tarn.query.internal.dml.RowLevelWrite;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.Operator;
import dev.tarn.query.internal.operator.Bindings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/** Runs a planned MERGE: the joined query's batches through the clauses into a writer, then one commit. */
final class MergeExecution {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MergeExecution() {}

    /** What a MERGE did (Spark's MERGE result columns and delta-spark's commit metrics). */
    record Result(long updatedMatched, long updatedNotMatchedBySource, long deletedMatched,
                  long deletedNotMatchedBySource, long inserted, long version) {
        long updated() {
            return updatedMatched + updatedNotMatchedBySource;
        }

        long deleted() {
            return deletedMatched + deletedNotMatchedBySource;
        }

        long affectedRows() {
            return updated() + deleted() + inserted;
        }
    }

    /**
     * Runs the joined query through the clauses into a {@link RowLevelWrite} on the snapshot the query read, and
     * commits once (operation MERGE). On any failure nothing is committed and the files written are deleted.
     */
    static Result run(MergePlan plan, ExecutionContext context) {
        try (RowLevelWrite write = RowLevelWrite.begin(plan.target(), "MERGE", parameters(plan), context)) {
            plan.evolvedSchema().ifPresent(write::evolveSchema);
            MergeClassifier classifier = classify(plan, new Sink(write), context);
            classifier.touched().forEachFile((file, positions) -> write.deleteRows(file, positions, positions.length));
            // The join read every target file: a concurrent change to any of them conflicts (appends do not, under
            // WriteSerializable).
            write.readWholeTable();
            long[] byClause = classifier.rowsByClause();
            long[] counts = new long[5];
            for (int k = 0; k < byClause.length; k++) {
                MergeLayout.ClauseLayout c = plan.layout().clauses().get(k);
                int slot = c.kind() == MergeLayout.Kind.INSERT ? 4
                        : (c.kind() == MergeLayout.Kind.UPDATE ? 0 : 2) + (c.match() == MergeSpec.Match.MATCHED ? 0 : 1);
                counts[slot] += byClause[k];
            }
            Result result = new Result(counts[0], counts[1], counts[2], counts[3], counts[4], -1);
            Map<String, String> metrics = new LinkedHashMap<>();
            metrics.put("numTargetRowsInserted", Long.toString(result.inserted()));
            metrics.put("numTargetRowsUpdated", Long.toString(result.updated()));
            metrics.put("numTargetRowsMatchedUpdated", Long.toString(result.updatedMatched()));
            metrics.put("numTargetRowsNotMatchedBySourceUpdated", Long.toString(result.updatedNotMatchedBySource()));
            metrics.put("numTargetRowsDeleted", Long.toString(result.deleted()));
            metrics.put("numTargetRowsMatchedDeleted", Long.toString(result.deletedMatched()));
            metrics.put("numTargetRowsNotMatchedBySourceDeleted", Long.toString(result.deletedNotMatchedBySource()));
            write.setOperationMetrics(metrics);
            DmlResult committed = write.commit();
            return new Result(counts[0], counts[1], counts[2], counts[3], counts[4], committed.version());
        }
    }

    /** delta-spark's MERGE operation parameters: the condition and each clause's kind and condition. */
    private static Map<String, String> parameters(MergePlan plan) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("predicate", json(List.of(plan.spec().condition().sql())));
        for (MergeSpec.Match match : MergeSpec.Match.values()) {
            List<Map<String, String>> clauses = new ArrayList<>();
            for (MergeSpec.Clause c : plan.spec().clauses()) {
                if (c.match() == match) {
                    Map<String, String> clause = new LinkedHashMap<>();
                    c.condition().ifPresent(t -> clause.put("predicate", t.sql()));
                    clause.put("actionType", actionType(c.action()));
                    clauses.add(clause);
                }
            }
            p.put(match == MergeSpec.Match.MATCHED ? "matchedPredicates"
                    : match == MergeSpec.Match.NOT_MATCHED ? "notMatchedPredicates" : "notMatchedBySourcePredicates",
                    json(clauses));
        }
        return p;
    }

    private static String actionType(MergeSpec.Action action) {
        return action instanceof MergeSpec.Delete ? "delete"
                : action instanceof MergeSpec.Update ? "update"
                : action instanceof MergeSpec.UpdateStar ? "update_star"
                : action instanceof MergeSpec.Insert ? "insert" : "insert_star";
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Hands classified rows to the row-level write. */
    private static final class Sink implements MergeSink {
        private final RowLevelWrite write;

        Sink(RowLevelWrite write) {
            this.write = write;
        }

        @Override
        public void insert(VectorSchemaRoot rows) {
            write.insert(rows);
        }

        @Override
        public void insertUpdated(VectorSchemaRoot rows, BigIntVector rowIds) {
            write.insertUpdated(rows, rowIds);
        }

        @Override
        public void oldImages(VectorSchemaRoot rows, OldImage kind) {
            write.recordChanges(rows, kind == OldImage.DELETE ? ChangeType.DELETE : ChangeType.UPDATE_PREIMAGE);
        }
    }

    /** Runs the plan's query through a classifier into {@code sink}; returns the classifier (touched rows, counts). */
    static MergeClassifier classify(MergePlan plan, MergeSink sink, ExecutionContext context) {
        MergeClassifier classifier = new MergeClassifier(plan.layout(), plan.query().columns(), plan.changeFeed(), sink,
                context.allocator(), new Bindings(List.of(), Instant.now()).evalContext(context));
        try (Operator op = plan.query().bindQuery(List.of())) {
            op.open(context);
            for (VectorSchemaRoot batch = op.next(); batch != null; batch = op.next()) {
                context.checkCancelled();
                classifier.accept(batch);
            }
        }
        return classifier;
    }
}

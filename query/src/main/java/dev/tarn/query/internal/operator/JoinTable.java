package dev.tarn.query.internal.operator;

import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.MemoryAccount;
import dev.tarn.query.internal.execution.Operator;
import dev.tarn.query.internal.expression.Values;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.OutOfMemoryException;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A hash join's build side: the build input's batches (copied, in input order) and a hash table from key to the
 * rows holding it, each row as {@code batch << 32 | row}. Read-only once built, so parallel probes share one.
 * The copies count against the statement's allocator and the hash table against a {@link MemoryAccount}.
 */
final class JoinTable implements AutoCloseable {
    /** Estimated heap bytes per build row in the hash table (entry, key object, row reference). */
    private static final long BYTES_PER_ROW = 96;

    final List<VectorSchemaRoot> batches = new ArrayList<>();
    final Map<Object, long[]> table = new HashMap<>();
    private final MemoryAccount account;

    private JoinTable(MemoryAccount account) {
        this.account = account;
    }

    static JoinTable build(Operator build, int[] keys, ExecutionContext context) {
        JoinTable t = new JoinTable(new MemoryAccount(context, "HashJoin build"));
        try {
            VectorSchemaRoot batch;
            while ((batch = build.next()) != null) {
                context.checkCancelled();
                if (batch.getRowCount() > 0) {
                    t.add(batch, build, keys, context);
                }
            }
            return t;
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
    }

    private void add(VectorSchemaRoot batch, Operator build, int[] keys, ExecutionContext context) {
        account.add(BYTES_PER_ROW * batch.getRowCount());
        int b = batches.size();
        VectorSchemaRoot copy;
        try {
            copy = Batches.copy(batch, build.columns(), context.allocator());
        } catch (OutOfMemoryException e) {
            throw context.memoryLimitExceeded("HashJoin build", e);
        }
        batches.add(copy);
        Values.Reader[] readers = HashJoinOperator.readers(copy, keys);
        for (int i = 0; i < copy.getRowCount(); i++) {
            Object key = HashJoinOperator.key(readers, i);
            if (key != null) {
                long ref = ((long) b << 32) | i;
                long[] refs = table.get(key);
                if (refs == null) {
                    table.put(key, new long[] {1, ref});
                } else {
                    int size = (int) refs[0];
                    if (size + 1 >= refs.length) {
                        refs = Arrays.copyOf(refs, refs.length * 2);
                        table.put(key, refs);
                    }
                    refs[size + 1] = ref;
                    refs[0] = size + 1;
                }
            }
        }
    }

    @Override
    public void close() {
        try {
            batches.forEach(VectorSchemaRoot::close);
            batches.clear();
            table.clear();
        } finally {
            account.close();
        }
    }
}

package dev.tarn.storage.parquet.internal;

import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.parquet.column.ColumnReadStore;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.MessageType;

/** Reads the planned leaf columns of one row group batch by batch and rebuilds the requested Arrow columns. */
public final class BatchAssembler {
    private final ReadPlan plan;
    private final MessageType fileSchema;
    private final String createdBy;

    public BatchAssembler(ReadPlan plan, MessageType fileSchema, String createdBy) {
        this.plan = plan;
        this.fileSchema = fileSchema;
        this.createdBy = createdBy;
    }

    public boolean needsColumns() {
        return !plan.leaves().isEmpty();
    }

    public void startRowGroup(PageReadStore pages) {
        ColumnReadStore store = new ColumnReadStoreImpl(pages, new IgnoringGroupConverter(), fileSchema, createdBy);
        for (LeafColumn leaf : plan.leaves()) {
            leaf.startRowGroup(store.getColumnReader(leaf.descriptor));
        }
    }

    /** Fills the first {@code plan.columns().size()} vectors of {@code root} with the next {@code rows} rows. */
    public void readBatch(VectorSchemaRoot root, int rows) {
        List<LeafColumn> leaves = plan.leaves();
        LeafColumn[] byId = leaves.toArray(new LeafColumn[0]);
        for (LeafColumn leaf : leaves) {
            leaf.readRecords(rows);
        }
        List<ReadNode> columns = plan.columns();
        for (int c = 0; c < columns.size(); c++) {
            int[][] slots = new int[byId.length][];
            ReadNode node = columns.get(c);
            for (LeafColumn leaf : node.leaves) {
                slots[leaf.id] = leaf.topLevelSlots(rows);
            }
            node.assemble(root.getVector(c), byId, slots, rows);
        }
    }

    public static VectorSchemaRoot allocate(Schema schema, org.apache.arrow.memory.BufferAllocator allocator) {
        VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
        for (FieldVector v : root.getFieldVectors()) {
            v.setInitialCapacity(1);
        }
        return root;
    }

    /** Column readers need a converter tree; Tarn reads values directly, so every converter ignores its input. */
    private static final class IgnoringGroupConverter extends GroupConverter {
        private final PrimitiveConverter primitive = new PrimitiveConverter() {};

        @Override
        public Converter getConverter(int fieldIndex) {
            return new CompositeConverter();
        }

        @Override
        public void start() {}

        @Override
        public void end() {}

        private final class CompositeConverter extends GroupConverter {
            @Override
            public Converter getConverter(int fieldIndex) {
                return new CompositeConverter();
            }

            @Override
            public boolean isPrimitive() {
                return false;
            }

            @Override
            public PrimitiveConverter asPrimitiveConverter() {
                return primitive;
            }

            @Override
            public void start() {}

            @Override
            public void end() {}
        }
    }
}

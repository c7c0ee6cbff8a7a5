package dev.tarn.query.internal.sql;

import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.catalog.PushedFilter;
import dev.tarn.query.internal.catalog.TableHandle;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.Operator;
import dev.tarn.query.internal.expression.Values;
import dev.tarn.query.internal.operator.Batches;
import dev.tarn.txlog.types.StructField;
import dev.tarn.txlog.types.StructType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.StructVector;

/**
 * A table held as rows of canonical values, scanned as Arrow batches of {@code batchRows} rows. It records what
 * the engine asked of it (projections, pushed filters) and collects appended rows; an append that fails midway
 * leaves the rows unchanged, as a Delta commit would.
 */
final class InMemoryTable implements TableHandle {
    private final String name;
    private final StructType schema;
    private final int batchRows;
    final List<Object[]> rows = new ArrayList<>();
    final List<int[]> scannedColumns = new ArrayList<>();
    final List<List<PushedFilter>> pushedFilters = new ArrayList<>();
    int appends;

    InMemoryTable(String name, StructType schema, int batchRows) {
        this.name = name;
        this.schema = schema;
        this.batchRows = batchRows;
    }

    InMemoryTable row(Object... values) {
        if (values.length != schema.size()) {
            throw new IllegalArgumentException("row width");
        }
        rows.add(values);
        return this;
    }

    @Override
    public String displayName() {
        return name;
    }

    @Override
    public StructType schema() {
        return schema;
    }

    @Override
    public List<String> partitionColumns() {
        return List.of();
    }

    @Override
    public long estimatedRowCount() {
        return rows.size();
    }

    @Override
    public Operator scan(int[] projectedColumns, List<PushedFilter> filters) {
        scannedColumns.add(projectedColumns.clone());
        pushedFilters.add(List.copyOf(filters));
        List<ResultColumn> columns = new ArrayList<>();
        for (int c : projectedColumns) {
            StructField f = schema.fields().get(c);
            columns.add(new ResultColumn(f.name(), f.type(), f.nullable()));
        }
        List<Object[]> snapshot = List.copyOf(rows);
        return new Operator() {
            private ExecutionContext context;
            private VectorSchemaRoot root;
            private int position;

            @Override
            public List<ResultColumn> columns() {
                return columns;
            }

            @Override
            public void open(ExecutionContext context) {
                this.context = context;
            }

            @Override
            public VectorSchemaRoot next() {
                if (position >= snapshot.size()) {
                    return null;
                }
                if (root == null) {
                    root = Batches.newRoot(columns, context.allocator());
                }
                int n = Math.min(batchRows, snapshot.size() - position);
                for (int c = 0; c < projectedColumns.length; c++) {
                    root.getVector(c).reset();
                    if (root.getVector(c) instanceof StructVector struct) {
                        writeStructs(struct, snapshot, projectedColumns[c], position, n);
                        continue;
                    }
                    Values.Writer w = Values.writer(root.getVector(c));
                    for (int i = 0; i < n; i++) {
                        w.set(i, snapshot.get(position + i)[projectedColumns[c]]);
                    }
                    root.getVector(c).setValueCount(n);
                }
                root.setRowCount(n);
                position += n;
                return root;
            }

            @Override
            public void close() {
                if (root != null) {
                    root.close();
                    root = null;
                }
            }
        };
    }

    /** Struct cells are lists of canonical child values (or null). */
    private static void writeStructs(StructVector struct, List<Object[]> rows, int column, int position, int n) {
        List<FieldVector> children = struct.getChildrenFromFields();
        for (int i = 0; i < n; i++) {
            List<?> value = (List<?>) rows.get(position + i)[column];
            if (value == null) {
                struct.setNull(i);
                for (FieldVector child : children) {
                    Values.writer(child).set(i, null);
                }
            } else {
                struct.setIndexDefined(i);
                for (int k = 0; k < children.size(); k++) {
                    Values.writer(children.get(k)).set(i, value.get(k));
                }
            }
        }
        for (FieldVector child : children) {
            child.setValueCount(n);
        }
        struct.setValueCount(n);
    }

    @Override
    public long append(Operator source, ExecutionContext context) {
        List<Object[]> staged = new ArrayList<>();
        source.open(context);
        try {
            VectorSchemaRoot batch;
            while ((batch = source.next()) != null) {
                if (batch.getFieldVectors().size() != schema.size()) {
                    throw new IllegalStateException("append batch has wrong width");
                }
                for (int c = 0; c < schema.size(); c++) {
                    var expected = dev.tarn.txlog.types.ArrowTypes.toArrowType(schema.fields().get(c).type());
                    if (!batch.getVector(c).getField().getType().equals(expected)) {
                        throw new IllegalStateException("column " + c + " has Arrow type "
                                + batch.getVector(c).getField().getType() + ", expected " + expected);
                    }
                }
                Values.Reader[] readers = new Values.Reader[schema.size()];
                for (int c = 0; c < readers.length; c++) {
                    readers[c] = Values.reader(batch.getVector(c));
                }
                for (int i = 0; i < batch.getRowCount(); i++) {
                    Object[] row = new Object[readers.length];
                    for (int c = 0; c < readers.length; c++) {
                        row[c] = readers[c].get(i);
                    }
                    staged.add(row);
                }
            }
        } finally {
            source.close();
        }
        rows.addAll(staged);
        appends++;
        return staged.size();
    }

    List<List<Object>> rowList() {
        return rows.stream().map(Arrays::asList).toList();
    }
}

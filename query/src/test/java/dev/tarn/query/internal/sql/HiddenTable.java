package dev.tarn.query.internal.sql;

import dev.tarn.query.internal.catalog.PushedFilter;
import dev.tarn.query.internal.catalog.TableHandle;
import dev.tarn.query.internal.execution.ExecutionContext;
import dev.tarn.query.internal.execution.Operator;
import dev.tarn.query.internal.plan.HiddenColumns;
import dev.tarn.txlog.types.PrimitiveType;
import dev.tarn.txlog.types.StructField;
import dev.tarn.txlog.types.StructType;
import java.util.List;

/**
 * A table with a hidden {@code _metadata} struct (as Spark's), over an in-memory table whose last column is that
 * struct; it appends the visible columns only.
 */
final class HiddenTable implements TableHandle, HiddenColumns {
    static final StructType METADATA = StructType.of(new StructField("file_path", PrimitiveType.STRING, false),
            new StructField("row_id", PrimitiveType.LONG, true));
    final InMemoryTable data;
    final InMemoryTable appended = new InMemoryTable("default.h", StructType.of(
            new StructField("id", PrimitiveType.INTEGER, false)), 16);

    HiddenTable(InMemoryTable data) {
        this.data = data;
    }

    @Override
    public String displayName() {
        return "default.h";
    }

    @Override
    public StructType schema() {
        return StructType.of(data.schema().fields().get(0));
    }

    @Override
    public List<StructField> hiddenColumns() {
        return List.of(data.schema().fields().get(1));
    }

    @Override
    public List<String> partitionColumns() {
        return List.of();
    }

    @Override
    public long estimatedRowCount() {
        return -1;
    }

    @Override
    public Operator scan(int[] projectedColumns, List<PushedFilter> filters) {
        return data.scan(projectedColumns, filters);
    }

    @Override
    public long append(Operator source, ExecutionContext context) {
        return appended.append(source, context);
    }
}

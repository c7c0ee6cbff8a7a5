package dev.tarn.query.internal.write;

import static java.util.Objects.requireNonNull;

import dev.tarn.txlog.types.ArrowTypes;
import dev.tarn.txlog.types.StructField;
import dev.tarn.txlog.types.StructType;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * How a table's logical columns map onto its data files: partition columns live in directory names and the log,
 * the other ("data") columns in the Parquet files under their physical names (PROTOCOL.md "Column Mapping").
 */
public final class TableLayout {
    private final StructType schema;
    private final List<String> partitionColumns;
    private final int[] partitionIndexes;
    private final int[] dataIndexes;
    private final StructType dataSchema;
    private final Schema physicalDataSchema;

    public TableLayout(StructType schema, List<String> partitionColumns) {
        this.schema = requireNonNull(schema, "schema is null");
        this.partitionColumns = List.copyOf(partitionColumns);
        this.partitionIndexes = new int[partitionColumns.size()];
        for (int i = 0; i < partitionColumns.size(); i++) {
            int idx = schema.indexOf(partitionColumns.get(i));
            if (idx < 0) {
                throw new IllegalArgumentException("Partition column " + partitionColumns.get(i) + " is not in the schema");
            }
            partitionIndexes[i] = idx;
        }
        List<StructField> data = new ArrayList<>();
        List<Integer> dataIdx = new ArrayList<>();
        for (int i = 0; i < schema.size(); i++) {
            if (!isPartition(i)) {
                data.add(schema.fields().get(i));
                dataIdx.add(i);
            }
        }
        this.dataIndexes = dataIdx.stream().mapToInt(Integer::intValue).toArray();
        this.dataSchema = new StructType(data);
        this.physicalDataSchema = ArrowTypes.toPhysicalArrowSchema(dataSchema);
    }

    public StructType schema() {
        return schema;
    }

    public List<String> partitionColumns() {
        return partitionColumns;
    }

    public boolean isPartition(int column) {
        for (int p : partitionIndexes) {
            if (p == column) {
                return true;
            }
        }
        return false;
    }

    /** Indexes into {@link #schema()} of the partition columns, in partition order. */
    public int[] partitionIndexes() {
        return partitionIndexes.clone();
    }

    /** Indexes into {@link #schema()} of the columns stored in data files, in table order. */
    public int[] dataIndexes() {
        return dataIndexes.clone();
    }

    /** The columns stored in data files, with their column-mapping metadata. */
    public StructType dataSchema() {
        return dataSchema;
    }

    /** {@link #dataSchema()} as written into Parquet: physical names and field ids. */
    public Schema physicalDataSchema() {
        return physicalDataSchema;
    }

    /** The key of partition column {@code i} in {@code add.partitionValues}: its physical name. */
    public String partitionKey(int i) {
        return schema.fields().get(partitionIndexes[i]).physicalName();
    }
}

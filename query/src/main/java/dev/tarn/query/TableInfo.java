package dev.tarn.query;

import static java.util.Objects.requireNonNull;

import dev.tarn.txlog.types.StructType;
import java.util.List;

/** What the catalog knows of one table at its latest version. */
public record TableInfo(String schema, String name, String location, StructType columns, List<String> partitionColumns,
                        long version, String comment) {
    public TableInfo {
        requireNonNull(schema, "schema is null");
        requireNonNull(name, "name is null");
        requireNonNull(location, "location is null");
        requireNonNull(columns, "columns is null");
        partitionColumns = List.copyOf(partitionColumns);
    }
}

package dev.tarn.txlog;

import static java.util.Objects.requireNonNull;

import dev.tarn.txlog.action.AddFile;
import dev.tarn.txlog.action.DeletionVectorDescriptor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One data file to read.
 *
 * @param location absolute, URI-decoded
 * @param partitionValues by logical column name, typed Java values (see {@link PartitionValues}), null for null
 */
public record ScanFile(AddFile add, String location, Map<String, Object> partitionValues,
                       Optional<DeletionVectorDescriptor> deletionVector) {
    public ScanFile {
        requireNonNull(add, "add is null");
        requireNonNull(location, "location is null");
        partitionValues = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(partitionValues, "partitionValues is null")));
        requireNonNull(deletionVector, "deletionVector is null");
    }
}

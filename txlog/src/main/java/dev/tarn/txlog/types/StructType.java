package dev.tarn.txlog.types;

import static java.util.Objects.requireNonNull;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** A row type: ordered fields with unique (case-insensitive) names. */
public record StructType(List<StructField> fields) implements DataType {
    public StructType {
        fields = List.copyOf(requireNonNull(fields, "fields is null"));
        Set<String> seen = new HashSet<>();
        for (StructField f : fields) {
            if (!seen.add(f.name().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("Duplicate field name: " + f.name());
            }
        }
    }

    public static StructType of(StructField... fields) {
        return new StructType(List.of(fields));
    }

    /** Finds a field by name, ignoring case as Spark does. */
    public Optional<StructField> field(String name) {
        for (StructField f : fields) {
            if (f.name().equalsIgnoreCase(name)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    public int indexOf(String name) {
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).name().equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    public List<String> fieldNames() {
        return fields.stream().map(StructField::name).toList();
    }

    public int size() {
        return fields.size();
    }

    @Override
    public String simpleString() {
        return fields.stream().map(f -> f.name() + ":" + f.type().simpleString())
                .collect(Collectors.joining(",", "struct<", ">"));
    }

    @Override
    public String sqlName() {
        return fields.stream().map(f -> f.name() + ": " + f.type().sqlName())
                .collect(Collectors.joining(", ", "STRUCT<", ">"));
    }
}

package dev.tarn.txlog.types;

import static java.util.Objects.requireNonNull;

public record MapType(DataType keyType, DataType valueType, boolean valueContainsNull) implements DataType {
    public MapType {
        requireNonNull(keyType, "keyType is null");
        requireNonNull(valueType, "valueType is null");
    }

    @Override
    public String simpleString() {
        return "map<" + keyType.simpleString() + "," + valueType.simpleString() + ">";
    }

    @Override
    public String sqlName() {
        return "MAP<" + keyType.sqlName() + ", " + valueType.sqlName() + ">";
    }
}

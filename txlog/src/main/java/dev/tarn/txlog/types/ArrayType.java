package dev.tarn.txlog.types;

import static java.util.Objects.requireNonNull;

public record ArrayType(DataType elementType, boolean containsNull) implements DataType {
    public ArrayType {
        requireNonNull(elementType, "elementType is null");
    }

    @Override
    public String simpleString() {
        return "array<" + elementType.simpleString() + ">";
    }

    @Override
    public String sqlName() {
        return "ARRAY<" + elementType.sqlName() + ">";
    }
}

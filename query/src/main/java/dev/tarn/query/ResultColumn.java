package dev.tarn.query;

import static java.util.Objects.requireNonNull;

import dev.tarn.txlog.types.DataType;

/**
 * A column of a result (or a statement parameter). Values arrive as Arrow vectors in the mapping of
 * {@link dev.tarn.txlog.types.ArrowTypes}.
 */
public record ResultColumn(String name, DataType type, boolean nullable) {
    public ResultColumn {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
    }
}

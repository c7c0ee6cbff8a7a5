package dev.tarn.query.internal.ddl;

import static java.util.Objects.requireNonNull;

import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.execution.Operator;
import dev.tarn.txlog.types.PrimitiveType;
import java.util.ArrayList;
import java.util.List;

/** The small all-STRING result of SHOW and DESCRIBE; cells may be null. */
public record StringTable(List<String> columnNames, List<List<String>> rows) {
    public StringTable {
        columnNames = List.copyOf(columnNames);
        List<List<String>> copy = new ArrayList<>();
        for (List<String> row : requireNonNull(rows, "rows is null")) {
            if (row.size() != columnNames.size()) {
                throw new IllegalArgumentException("row has " + row.size() + " cells, expected " + columnNames.size());
            }
            copy.add(java.util.Collections.unmodifiableList(new ArrayList<>(row)));
        }
        rows = List.copyOf(copy);
    }

    /** The same rows as a typed table of STRING columns. */
    public ValueTable toValueTable() {
        List<ResultColumn> columns = columnNames.stream().map(n -> new ResultColumn(n, PrimitiveType.STRING, true)).toList();
        List<List<Object>> cells = new ArrayList<>();
        for (List<String> row : rows) {
            cells.add(new ArrayList<>(row));
        }
        return new ValueTable(columns, cells);
    }

    /** An operator returning the rows as one batch. */
    public Operator operator() {
        return toValueTable().operator();
    }
}

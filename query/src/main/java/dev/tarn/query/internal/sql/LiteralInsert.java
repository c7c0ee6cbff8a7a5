package dev.tarn.query.internal.sql;

import dev.tarn.query.ResultColumn;
import dev.tarn.query.internal.catalog.TableHandle;
import dev.tarn.query.internal.operator.ValuesOperator;
import dev.tarn.query.internal.plan.PlanNode;
import dev.tarn.txlog.types.DataType;
import dev.tarn.txlog.types.DecimalType;
import dev.tarn.txlog.types.PrimitiveType;
import dev.tarn.txlog.types.StructField;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlInsert;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * {@code INSERT INTO t VALUES (...), ...} whose values are all plain literals, planned without Calcite: Calcite
 * plans a multi-row VALUES as a union of one-row projections, validating, converting and simplifying every row,
 * which made a 1,000-row insert cost tens of milliseconds of planning for microseconds of work. Here each literal is
 * checked against its column's type once and the rows go to the table as one {@link ValuesOperator}.
 *
 * <p>Only literals whose value the table type holds exactly take this route: integers for integer, decimal and
 * double columns, decimals whose scale and integer digits fit a decimal column (or any numeric literal for a double
 * column), strings for string columns, booleans, and NULL for nullable columns. Anything else (a column list,
 * expressions, parameters, other types, a value needing rounding or out of range, NULL for a NOT NULL column, a
 * row of the wrong width, a time-travel or path name) returns null and the statement takes the Calcite route, which
 * gives the same result or the usual error.
 */
final class LiteralInsert {
    /** Numeric literals beyond this many digits (a BIGINT's) go through Calcite, whose row type for them may round. */
    private static final int MAX_DIGITS = 19;

    private LiteralInsert() {}

    /** The planned insert, or null when the statement is not a literal-only VALUES insert this class takes. */
    static PlannedStatement plan(SqlNode parsed, SessionState session) {
        if (!(parsed instanceof SqlInsert insert) || insert.getTargetColumnList() != null
                || insert.getSource().getKind() != SqlKind.VALUES
                || !(insert.getTargetTable() instanceof SqlIdentifier name)) {
            return null;
        }
        TableHandle target = resolve(name, session).orElse(null);
        if (target == null) {
            return null;
        }
        List<StructField> fields = target.schema().fields();
        List<ResultColumn> columns = new ArrayList<>(fields.size());
        for (StructField f : fields) {
            columns.add(new ResultColumn(f.name(), f.type(), f.nullable()));
        }
        List<SqlNode> rowNodes = ((SqlBasicCall) insert.getSource()).getOperandList();
        List<List<Object>> rows = new ArrayList<>(rowNodes.size());
        for (SqlNode rowNode : rowNodes) {
            if (rowNode.getKind() != SqlKind.ROW) {
                return null;
            }
            List<SqlNode> values = ((SqlBasicCall) rowNode).getOperandList();
            if (values.size() != fields.size()) {
                return null;
            }
            List<Object> row = new ArrayList<>(values.size());
            for (int c = 0; c < values.size(); c++) {
                Object v = value(values.get(c), fields.get(c));
                if (v == NOT_LITERAL) {
                    return null;
                }
                row.add(v);
            }
            rows.add(row);
        }
        PlanNode source = new PlanNode("LiteralValues[" + rows.size() + " rows]", columns, List.of(),
                (ops, b) -> new ValuesOperator(columns, rows));
        return new InsertStatement(target, source, List.of(), session.timeZone());
    }

    private static Optional<TableHandle> resolve(SqlIdentifier name, SessionState session) {
        List<String> parts = name.names;
        if (parts.size() > 2 || parts.stream().anyMatch(p -> p.isEmpty() || p.indexOf('@') >= 0)) {
            return Optional.empty(); // time travel (t@v3) and other forms stay with the catalog reader's rules
        }
        String schema = parts.size() == 2 ? parts.get(0) : session.currentSchema();
        if (schema.equalsIgnoreCase(LakeSchemas.PATH_SCHEMA) || !session.catalog().schemaExists(schema)) {
            return Optional.empty();
        }
        return session.catalog().table(schema, parts.get(parts.size() - 1));
    }

    private static final Object NOT_LITERAL = new Object();

    /** The canonical value of a literal for a column, or {@link #NOT_LITERAL} when it needs the Calcite route. */
    private static Object value(SqlNode node, StructField field) {
        boolean negate = false;
        if (node.getKind() == SqlKind.MINUS_PREFIX && ((SqlBasicCall) node).operandCount() == 1) {
            negate = true;
            node = ((SqlBasicCall) node).operand(0);
            if (!(node instanceof SqlNumericLiteral)) {
                return NOT_LITERAL;
            }
        }
        if (!(node instanceof SqlLiteral literal)) {
            return NOT_LITERAL;
        }
        DataType type = field.type();
        SqlTypeName literalType = literal.getTypeName();
        if (literalType == SqlTypeName.NULL) {
            return field.nullable() ? null : NOT_LITERAL;
        }
        if (literal instanceof SqlNumericLiteral n) {
            BigDecimal v = n.getValueAs(BigDecimal.class);
            if (v == null || v.precision() > MAX_DIGITS) {
                return NOT_LITERAL;
            }
            return number(negate ? v.negate() : v, n.isExact(), type);
        }
        if (type == PrimitiveType.STRING && literalType == SqlTypeName.CHAR) {
            return literal.getValueAs(String.class);
        }
        if (type == PrimitiveType.BOOLEAN && literalType == SqlTypeName.BOOLEAN) {
            return literal.booleanValue();
        }
        return NOT_LITERAL;
    }

    private static Object number(BigDecimal v, boolean exact, DataType type) {
        if (type == PrimitiveType.DOUBLE) {
            return v.doubleValue();
        }
        if (!exact) {
            return NOT_LITERAL;
        }
        if (type instanceof DecimalType d) {
            int integerDigits = v.precision() - v.scale();
            return v.scale() <= d.scale() && integerDigits <= d.precision() - d.scale() ? v.setScale(d.scale())
                    : NOT_LITERAL;
        }
        long min;
        long max;
        if (type == PrimitiveType.BYTE) {
            min = Byte.MIN_VALUE;
            max = Byte.MAX_VALUE;
        } else if (type == PrimitiveType.SHORT) {
            min = Short.MIN_VALUE;
            max = Short.MAX_VALUE;
        } else if (type == PrimitiveType.INTEGER) {
            min = Integer.MIN_VALUE;
            max = Integer.MAX_VALUE;
        } else if (type == PrimitiveType.LONG) {
            min = Long.MIN_VALUE;
            max = Long.MAX_VALUE;
        } else {
            return NOT_LITERAL;
        }
        if (v.scale() > 0 || v.compareTo(BigDecimal.valueOf(min)) < 0 || v.compareTo(BigDecimal.valueOf(max)) > 0) {
            return NOT_LITERAL;
        }
        return v.longValueExact();
    }
}

package dev.tarn.query.internal.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlBinaryOperator;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlPostfixOperator;
import org.apache.calcite.sql.SqlPrefixOperator;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlWith;

/**
 * Names for unaliased result expressions the way Spark prints them ({@code count(1)}, {@code sum(amount)},
 * {@code (a + b)}, {@code upper(name)}), instead of Calcite's {@code EXPR$n}: every shell and JDBC result shows
 * them. Computed from the parsed (not yet validated) statement, whose select items are still as written.
 */
final class SparkColumnNames {
    private SparkColumnNames() {}

    /**
     * One name per select item of the statement's outermost SELECT, or an empty list when the names cannot be
     * matched to result columns (a star, or not a plain SELECT); null entries keep the validator's name.
     */
    static List<String> of(SqlNode statement) {
        SqlNode node = statement;
        if (node instanceof SqlOrderBy orderBy) {
            node = orderBy.query;
        }
        if (node instanceof SqlWith with) {
            node = with.body;
            if (node instanceof SqlOrderBy orderBy) {
                node = orderBy.query;
            }
        }
        if (!(node instanceof SqlSelect select) || select.getSelectList() == null) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (SqlNode item : select.getSelectList()) {
            if (item instanceof SqlIdentifier id && id.isStar()) {
                return List.of();
            }
            if (item.getKind() == SqlKind.AS || item instanceof SqlIdentifier) {
                names.add(null); // aliased or a plain column: the validator's name is already right
                continue;
            }
            names.add(name(item));
        }
        return names;
    }

    /** Spark's text for an expression; null when this does not know the construct. */
    static String name(SqlNode node) {
        if (node instanceof SqlIdentifier id) {
            return id.isStar() ? "*" : id.names.get(id.names.size() - 1);
        }
        if (node instanceof SqlCharStringLiteral s) {
            return s.getValueAs(String.class);
        }
        if (node instanceof SqlLiteral literal) {
            Object v = literal.getValue();
            if (v == null) {
                return "NULL";
            }
            if (literal.getTypeName().getFamily() == org.apache.calcite.sql.type.SqlTypeFamily.BOOLEAN) {
                return v.toString().toLowerCase(Locale.ROOT);
            }
            return literal.toValue();
        }
        if (node instanceof SqlDataTypeSpec type) {
            return type.getTypeName().getSimple().toUpperCase(Locale.ROOT);
        }
        if (node instanceof org.apache.calcite.sql.fun.SqlCase c) {
            return caseName(c);
        }
        if (!(node instanceof SqlCall call)) {
            return null;
        }
        if (call.getKind() == SqlKind.OVER) {
            return overName(call);
        }
        List<String> args = new ArrayList<>();
        for (SqlNode operand : call.getOperandList()) {
            if (operand == null) {
                continue;
            }
            if (operand instanceof SqlNodeList) {
                return null;
            }
            String a = name(operand);
            if (a == null) {
                return null;
            }
            args.add(a);
        }
        SqlKind kind = call.getKind();
        String op = call.getOperator().getName();
        if (kind == SqlKind.CAST || kind == SqlKind.SAFE_CAST) {
            return (kind == SqlKind.CAST ? "CAST(" : "TRY_CAST(") + args.get(0) + " AS " + args.get(1) + ")";
        }
        if (call.getOperator() instanceof SqlBinaryOperator && args.size() == 2) {
            return "(" + args.get(0) + " " + op + " " + args.get(1) + ")";
        }
        if (call.getOperator() instanceof SqlPrefixOperator && args.size() == 1) {
            return "(" + op + " " + args.get(0) + ")";
        }
        if (call.getOperator() instanceof SqlPostfixOperator && args.size() == 1) {
            return "(" + args.get(0) + " " + op + ")";
        }
        if (call.getOperator() instanceof SqlFunction || call.getOperator() instanceof org.apache.calcite.sql.SqlAggFunction) {
            if (op.equalsIgnoreCase("COUNT") && args.size() == 1 && args.get(0).equals("*")) {
                return "count(1)";
            }
            boolean distinct = call instanceof SqlBasicCall b && b.getFunctionQuantifier() != null
                    && b.getFunctionQuantifier().getValue() == org.apache.calcite.sql.SqlSelectKeyword.DISTINCT;
            return op.toLowerCase(Locale.ROOT) + "(" + (distinct ? "DISTINCT " : "") + String.join(", ", args) + ")";
        }
        return null;
    }

    private static String caseName(org.apache.calcite.sql.fun.SqlCase c) {
        StringBuilder b = new StringBuilder("CASE");
        if (c.getValueOperand() != null) {
            String v = name(c.getValueOperand());
            if (v == null) {
                return null;
            }
            b.append(' ').append(v);
        }
        for (int i = 0; i < c.getWhenOperands().size(); i++) {
            String when = name(c.getWhenOperands().get(i));
            String then = name(c.getThenOperands().get(i));
            if (when == null || then == null) {
                return null;
            }
            b.append(" WHEN ").append(when).append(" THEN ").append(then);
        }
        if (c.getElseOperand() != null) {
            String otherwise = name(c.getElseOperand());
            if (otherwise == null) {
                return null;
            }
            b.append(" ELSE ").append(otherwise);
        }
        return b.append(" END").toString();
    }

    /** {@code f(x) OVER (PARTITION BY p ORDER BY o DESC)} or {@code f(x) OVER w}; frames are left out. */
    private static String overName(SqlCall over) {
        String function = name(over.operand(0));
        SqlNode spec = over.operand(1);
        if (function == null) {
            return null;
        }
        if (spec instanceof SqlIdentifier id) {
            return function + " OVER " + id.getSimple();
        }
        if (!(spec instanceof org.apache.calcite.sql.SqlWindow window)) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        if (window.getRefName() != null) {
            parts.add(window.getRefName().getSimple());
        }
        List<String> partition = new ArrayList<>();
        for (SqlNode p : window.getPartitionList()) {
            String n = name(p);
            if (n == null) {
                return null;
            }
            partition.add(n);
        }
        if (!partition.isEmpty()) {
            parts.add("PARTITION BY " + String.join(", ", partition));
        }
        List<String> order = new ArrayList<>();
        for (SqlNode o : window.getOrderList()) {
            String suffix = "";
            while (o instanceof SqlCall c && (c.getKind() == SqlKind.DESCENDING || c.getKind() == SqlKind.NULLS_FIRST
                    || c.getKind() == SqlKind.NULLS_LAST)) {
                suffix = " " + c.getOperator().getName() + suffix;
                o = c.operand(0);
            }
            String n = name(o);
            if (n == null) {
                return null;
            }
            order.add(n + suffix);
        }
        if (!order.isEmpty()) {
            parts.add("ORDER BY " + String.join(", ", order));
        }
        return function + " OVER (" + String.join(" ", parts) + ")";
    }
}

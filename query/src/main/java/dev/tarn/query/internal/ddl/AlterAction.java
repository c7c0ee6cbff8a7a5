package dev.tarn.query.internal.ddl;

import static java.util.Objects.requireNonNull;

import dev.tarn.query.internal.ddl.DdlStatement.ColumnDefinition;
import dev.tarn.txlog.types.DataType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What one {@code ALTER TABLE t ...} statement changes (see {@link SchemaChanges}, which applies it). */
public sealed interface AlterAction {

    /** {@code ADD COLUMN(S) (c type [COMMENT '...'], ...)}: appended after the existing columns. */
    record AddColumns(List<ColumnDefinition> columns) implements AlterAction {
        public AddColumns {
            columns = List.copyOf(columns);
        }
    }

    /** {@code RENAME COLUMN a TO b}. */
    record RenameColumn(String from, String to) implements AlterAction {
        public RenameColumn {
            requireNonNull(from, "from is null");
            requireNonNull(to, "to is null");
        }
    }

    /** {@code DROP COLUMN(S) [IF EXISTS] a, b} or {@code DROP COLUMNS (a, b)}. */
    record DropColumns(List<String> columns, boolean ifExists) implements AlterAction {
        public DropColumns {
            columns = List.copyOf(columns);
        }
    }

    /** {@code ALTER [COLUMN] c SET NOT NULL} ({@code nullable} false) or {@code DROP NOT NULL}. */
    record SetNullability(String column, boolean nullable) implements AlterAction {
        public SetNullability {
            requireNonNull(column, "column is null");
        }
    }

    /** {@code ALTER [COLUMN] c COMMENT '...'}. */
    record SetComment(String column, String comment) implements AlterAction {
        public SetComment {
            requireNonNull(column, "column is null");
            requireNonNull(comment, "comment is null");
        }
    }

    /** {@code ALTER [COLUMN] c TYPE t}: type widening. */
    record ChangeType(String column, DataType type) implements AlterAction {
        public ChangeType {
            requireNonNull(column, "column is null");
            requireNonNull(type, "type is null");
        }
    }

    /** {@code SET TBLPROPERTIES (k = v, ...)}. */
    record SetProperties(Map<String, String> properties) implements AlterAction {
        public SetProperties {
            properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
        }
    }

    /** {@code UNSET TBLPROPERTIES [IF EXISTS] (k, ...)}. */
    record UnsetProperties(List<String> keys, boolean ifExists) implements AlterAction {
        public UnsetProperties {
            keys = List.copyOf(keys);
        }
    }

    /** {@code ADD CONSTRAINT name CHECK (expression)}; {@code expression} is the text between the parentheses. */
    record AddConstraint(String name, String expression) implements AlterAction {
        public AddConstraint {
            requireNonNull(name, "name is null");
            requireNonNull(expression, "expression is null");
        }
    }

    /** {@code DROP CONSTRAINT [IF EXISTS] name}. */
    record DropConstraint(String name, boolean ifExists) implements AlterAction {
        public DropConstraint {
            requireNonNull(name, "name is null");
        }
    }
}

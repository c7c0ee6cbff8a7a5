package dev.tarn.query.internal.dml.merge;

import static java.util.Objects.requireNonNull;

import dev.tarn.query.internal.ddl.TableName;
import java.util.List;
import java.util.Optional;

/**
 * A parsed MERGE statement. Expressions, the source and the join condition stay SQL text (exact slices of the
 * statement) for Calcite to parse and validate inside the query {@link MergePlanner} builds.
 *
 * @param schemaEvolution {@code MERGE WITH SCHEMA EVOLUTION}: {@code UPDATE SET *} and {@code INSERT *} add source
 *     columns the target lacks
 * @param target the target table
 * @param targetAlias the alias given to the target, if any
 * @param source the source as written: a table name, or a parenthesized query or VALUES, without its alias
 * @param sourceIsTable whether {@code source} is a table name (not a parenthesized query)
 * @param sourceAlias the alias given to the source, if any
 * @param sourceColumnAliases column names given with the source alias ({@code AS s(a, b)}), possibly empty
 * @param condition the ON condition
 * @param clauses the WHEN clauses in statement order
 */
record MergeSpec(boolean schemaEvolution, TableName target, Optional<String> targetAlias, Text source,
                 boolean sourceIsTable, Optional<String> sourceAlias, List<String> sourceColumnAliases,
                 Text condition, List<Clause> clauses) {
    MergeSpec {
        requireNonNull(target, "target is null");
        requireNonNull(targetAlias, "targetAlias is null");
        requireNonNull(source, "source is null");
        requireNonNull(sourceAlias, "sourceAlias is null");
        sourceColumnAliases = List.copyOf(sourceColumnAliases);
        requireNonNull(condition, "condition is null");
        clauses = List.copyOf(clauses);
        if (clauses.isEmpty()) {
            throw new IllegalArgumentException("a MERGE needs at least one WHEN clause");
        }
    }

    /** A slice of the statement: its text and where it starts (for messages that point into the statement). */
    record Text(String sql, int offset) {
        Text {
            requireNonNull(sql, "sql is null");
            if (offset < 0) {
                throw new IllegalArgumentException("offset is negative");
            }
        }
    }

    /** Which joined rows a clause applies to. */
    enum Match {
        /** A target row with a source row satisfying the ON condition. */
        MATCHED("WHEN MATCHED"),
        /** A source row no target row matches ({@code WHEN NOT MATCHED [BY TARGET]}). */
        NOT_MATCHED("WHEN NOT MATCHED"),
        /** A target row no source row matches. */
        NOT_MATCHED_BY_SOURCE("WHEN NOT MATCHED BY SOURCE");

        private final String sql;

        Match(String sql) {
            this.sql = sql;
        }

        String sql() {
            return sql;
        }
    }

    /**
     * One WHEN clause.
     *
     * @param condition the clause's {@code AND} condition, if any
     * @param offset where the clause starts in the statement (for messages)
     */
    record Clause(Match match, Optional<Text> condition, Action action, int offset) {
        Clause {
            requireNonNull(match, "match is null");
            requireNonNull(condition, "condition is null");
            requireNonNull(action, "action is null");
            boolean allowed = action instanceof Insert || action instanceof InsertStar ? match == Match.NOT_MATCHED
                    : action instanceof UpdateStar ? match == Match.MATCHED
                    : match != Match.NOT_MATCHED;
            if (!allowed) {
                throw new IllegalArgumentException(action + " is not allowed in " + match.sql());
            }
        }
    }

    /** What a clause does to the rows it applies to. */
    sealed interface Action permits Update, UpdateStar, Delete, Insert, InsertStar {}

    /** {@code UPDATE SET c = e, ...}. */
    record Update(List<Assignment> assignments) implements Action {
        Update {
            assignments = List.copyOf(assignments);
            if (assignments.isEmpty()) {
                throw new IllegalArgumentException("UPDATE SET needs at least one assignment");
            }
        }
    }

    /** {@code UPDATE SET *}: every target column from the source column of the same name. */
    record UpdateStar() implements Action {}

    /** {@code DELETE}. */
    record Delete() implements Action {}

    /** {@code INSERT (c, ...) VALUES (e, ...)}. */
    record Insert(List<String> columns, List<Text> values) implements Action {
        Insert {
            columns = List.copyOf(columns);
            values = List.copyOf(values);
            if (columns.size() != values.size()) {
                throw new IllegalArgumentException("INSERT names " + columns.size() + " columns but gives "
                        + values.size() + " values");
            }
        }
    }

    /** {@code INSERT *}: every target column from the source column of the same name. */
    record InsertStar() implements Action {}

    /**
     * {@code column = expression} of an UPDATE SET.
     *
     * @param column the target column's name parts as written (possibly qualified by the target alias or name)
     * @param expression the value's SQL text
     * @param offset where the assignment starts in the statement
     */
    record Assignment(List<String> column, Text expression, int offset) {
        Assignment {
            column = List.copyOf(column);
            requireNonNull(expression, "expression is null");
            if (column.isEmpty()) {
                throw new IllegalArgumentException("column is empty");
            }
        }
    }
}

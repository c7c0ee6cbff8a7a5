package dev.tarn.query.internal.sql;

import dev.tarn.query.internal.plan.TypeMapping;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlTimestampLiteral;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.util.SqlShuttle;
import org.apache.calcite.sql.validate.SqlConformance;
import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.apache.calcite.sql.validate.SqlDelegatingConformance;

/**
 * Tarn's Spark-like SQL surface on Calcite's parser: backtick quoting, case-insensitive identifiers kept as
 * written, {@code LIMIT n [OFFSET m]}, {@code !=}. Spark's type names are mapped onto Calcite's after parsing: FLOAT
 * is 4 bytes (REAL), TIMESTAMP is an instant (TIMESTAMP WITH LOCAL TIME ZONE), BINARY is variable length;
 * STRING and TIMESTAMP_NTZ are type aliases registered in the root schema.
 */
final class SparkDialect {
    private SparkDialect() {}

    /** Lenient conformance plus Spark's typing of CASE branches of unequal string length (VARCHAR, not padded CHAR). */
    static final SqlConformance CONFORMANCE = new SqlDelegatingConformance(SqlConformanceEnum.LENIENT) {
        @Override
        public boolean shouldConvertRaggedUnionTypesToVarying() {
            return true;
        }
    };

    static final SqlParser.Config PARSER = SqlParser.config()
            .withQuoting(Quoting.BACK_TICK)
            .withQuotedCasing(Casing.UNCHANGED)
            .withUnquotedCasing(Casing.UNCHANGED)
            .withCaseSensitive(false)
            .withConformance(CONFORMANCE);

    /**
     * Quotes the schema name {@code default} where it qualifies a name ({@code default.t}): Spark's default schema
     * is called that, but DEFAULT is a reserved word to Calcite's parser. String literals, quoted identifiers and
     * comments are left alone. (Positions after the rewrite shift by the two added backticks.)
     */
    static String quoteDefaultSchema(String sql) {
        StringBuilder out = null;
        int n = sql.length();
        int i = 0;
        int copied = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '`' || c == '"') {
                int j = i + 1;
                while (j < n && sql.charAt(j) != c) {
                    j++;
                }
                i = j + 1;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int j = sql.indexOf('\n', i);
                i = j < 0 ? n : j;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int j = sql.indexOf("*/", i + 2);
                i = j < 0 ? n : j + 2;
            } else if (Character.isLetter(c) || c == '_') {
                int j = i;
                while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
                    j++;
                }
                int k = j;
                while (k < n && Character.isWhitespace(sql.charAt(k))) {
                    k++;
                }
                boolean prevDot = i > 0 && sql.charAt(i - 1) == '.';
                if (!prevDot && k < n && sql.charAt(k) == '.' && sql.regionMatches(true, i, "default", 0, 7) && j - i == 7) {
                    if (out == null) {
                        out = new StringBuilder(n + 8);
                    }
                    out.append(sql, copied, i).append('`').append(sql, i, j).append('`');
                    copied = j;
                }
                i = j;
            } else {
                i++;
            }
        }
        if (out == null) {
            return sql;
        }
        return out.append(sql, copied, n).toString();
    }

    /** Rewrites Spark type names and TIMESTAMP literals into the Calcite types Tarn maps them to. */
    static SqlNode rewrite(SqlNode node) {
        return node.accept(new SqlShuttle() {
            @Override
            public SqlNode visit(SqlDataTypeSpec type) {
                if (type.getTypeNameSpec() instanceof SqlBasicTypeNameSpec spec) {
                    SqlTypeName name = SqlTypeName.get(spec.getTypeName().getSimple());
                    SqlParserPos pos = type.getParserPosition();
                    if (name == SqlTypeName.FLOAT) {
                        return spec(new SqlBasicTypeNameSpec(SqlTypeName.REAL, pos), type);
                    }
                    if (name == SqlTypeName.TIMESTAMP) {
                        return spec(new SqlBasicTypeNameSpec(SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE,
                                TypeMapping.TIMESTAMP_PRECISION, pos), type);
                    }
                    if (name == SqlTypeName.BINARY) {
                        return spec(new SqlBasicTypeNameSpec(SqlTypeName.VARBINARY, pos), type);
                    }
                }
                return type;
            }

            @Override
            public SqlNode visit(org.apache.calcite.sql.SqlCall call) {
                SqlNode visited = super.visit(call);
                // Spark's CURRENT_TIMESTAMP is an instant (TIMESTAMP), Calcite's a zone-less wall clock.
                if (visited instanceof org.apache.calcite.sql.SqlCall c
                        && c.getOperator() == SqlStdOperatorTable.CURRENT_TIMESTAMP) {
                    SqlParserPos pos = c.getParserPosition();
                    return SqlStdOperatorTable.CAST.createCall(pos, c, new SqlDataTypeSpec(new SqlBasicTypeNameSpec(
                            SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE, TypeMapping.TIMESTAMP_PRECISION, pos), pos));
                }
                return visited;
            }

            @Override
            public SqlNode visit(org.apache.calcite.sql.SqlIdentifier id) {
                // Spark's unqualified _metadata.field: a field of the hidden struct column, not table "_metadata".
                if (id.names.size() >= 2 && id.names.get(0).equalsIgnoreCase(METADATA)) {
                    SqlParserPos pos = id.getParserPosition();
                    SqlNode node = new org.apache.calcite.sql.SqlIdentifier(id.names.get(0), pos);
                    for (String field : id.names.subList(1, id.names.size())) {
                        node = SqlStdOperatorTable.DOT.createCall(pos, node,
                                new org.apache.calcite.sql.SqlIdentifier(field, pos));
                    }
                    return node;
                }
                // The parser reads the niladic CURRENT_TIMESTAMP as an identifier; the validator resolves it.
                if (id.isSimple() && !id.isComponentQuoted(0) && id.getSimple().equalsIgnoreCase("CURRENT_TIMESTAMP")) {
                    SqlParserPos pos = id.getParserPosition();
                    return SqlStdOperatorTable.CAST.createCall(pos, id, new SqlDataTypeSpec(new SqlBasicTypeNameSpec(
                            SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE, TypeMapping.TIMESTAMP_PRECISION, pos), pos));
                }
                return id;
            }

            @Override
            public SqlNode visit(SqlLiteral literal) {
                if (literal instanceof SqlTimestampLiteral ts) {
                    SqlParserPos pos = literal.getParserPosition();
                    return SqlStdOperatorTable.CAST.createCall(pos, SqlLiteral.createCharString(ts.toFormattedString(), pos),
                            new SqlDataTypeSpec(new SqlBasicTypeNameSpec(SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE,
                                    TypeMapping.TIMESTAMP_PRECISION, pos), pos));
                }
                return literal;
            }
        });
    }

    /** Spark's hidden metadata column. */
    static final String METADATA = "_metadata";

    /**
     * Rewrites every {@code *} and {@code t.*} of a select list to leave the given (hidden) columns out, except the
     * stars starting at one of the {@code kept} positions ({@link #starKey}): stars over a subquery or CTE, whose rows
     * no longer have the hidden columns, which Calcite reports as an error at the star.
     */
    static SqlNode excludeFromStars(SqlNode node, java.util.Set<String> hidden, java.util.Set<Long> kept,
            java.util.Set<Long> excluded) {
        return node.accept(new SqlShuttle() {
            @Override
            public SqlNode visit(org.apache.calcite.sql.SqlCall call) {
                SqlNode visited = super.visit(call);
                if (visited instanceof org.apache.calcite.sql.SqlSelect select) {
                    org.apache.calcite.sql.SqlNodeList items = select.getSelectList();
                    for (int i = 0; i < items.size(); i++) {
                        if (items.get(i) instanceof org.apache.calcite.sql.SqlIdentifier id && id.isStar()
                                && !kept.contains(starKey(id.getParserPosition().getLineNum(),
                                        id.getParserPosition().getColumnNum()))) {
                            excluded.add(starKey(id.getParserPosition().getLineNum(),
                                    id.getParserPosition().getColumnNum()));
                            org.apache.calcite.sql.SqlNodeList names =
                                    new org.apache.calcite.sql.SqlNodeList(id.getParserPosition());
                            hidden.forEach(h -> names.add(new org.apache.calcite.sql.SqlIdentifier(h,
                                    id.getParserPosition())));
                            items.set(i, new org.apache.calcite.sql.SqlStarExclude(id.getParserPosition(), id, names));
                        }
                    }
                }
                return visited;
            }
        });
    }

    /**
     * Whether any SELECT list of the statement holds a star ({@code *} or {@code t.*}); {@code COUNT(*)} and
     * multiplication do not count. Only such statements need the second validation that keeps hidden columns out of
     * the star (see {@link #excludeFromStars}). Call it before validation, which expands stars in place.
     */
    static boolean hasSelectStar(SqlNode node) {
        boolean[] found = {false};
        node.accept(new org.apache.calcite.sql.util.SqlBasicVisitor<Void>() {
            @Override
            public Void visit(org.apache.calcite.sql.SqlCall call) {
                if (call instanceof org.apache.calcite.sql.SqlSelect select && select.getSelectList() != null) {
                    for (SqlNode item : select.getSelectList()) {
                        if (item instanceof org.apache.calcite.sql.SqlIdentifier id && id.isStar()) {
                            found[0] = true;
                        }
                    }
                }
                return found[0] ? null : super.visit(call);
            }
        });
        return found[0];
    }

    /** A star's start position as one key (line, column), to match a validation error's position. */
    static long starKey(int line, int column) {
        return ((long) line << 32) | (column & 0xffffffffL);
    }

    private static SqlDataTypeSpec spec(SqlBasicTypeNameSpec name, SqlDataTypeSpec original) {
        SqlDataTypeSpec s = new SqlDataTypeSpec(name, original.getTimeZone(), original.getParserPosition());
        return original.getNullable() == null ? s : s.withNullable(original.getNullable());
    }
}

package dev.tarn.query.internal.sql;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.internal.expression.Expr;
import dev.tarn.query.internal.plan.RexCompiler;
import dev.tarn.query.internal.plan.TypeMapping;
import dev.tarn.txlog.types.DataType;
import dev.tarn.txlog.types.StructField;
import dev.tarn.txlog.types.StructType;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.plan.hep.HepProgramBuilder;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.runtime.CalciteException;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.SqlValidatorUtil;
import org.apache.calcite.sql2rel.SqlToRelConverter;
import org.apache.calcite.sql2rel.StandardConvertletTable;

/**
 * Compiles SQL expressions stored in a table's metadata (CHECK constraints, generation expressions) into vectorized
 * {@link Expr}s over batches that follow the table's columns: column {@code i} of the schema is vector {@code i} of
 * the batch. The expressions are validated exactly as the same text in a query over the table would be, with the
 * engine's operators and Spark dialect; subqueries, aggregates and parameters are refused.
 */
public final class RowExpressions {
    private static final String ROW = "tarn_row";

    private RowExpressions() {}

    /**
     * The compiled expressions, in order.
     *
     * @param what what the expressions are, for messages ("CHECK constraint c of table t")
     * @throws TarnException VALIDATION_ERROR when an expression does not parse or validate over the columns
     */
    public static List<Expr> compile(StructType schema, List<String> expressions, String what) {
        requireNonNull(schema, "schema is null");
        requireNonNull(what, "what is null");
        if (expressions.isEmpty()) {
            return List.of();
        }
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < expressions.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append('(').append(expressions.get(i)).append(')');
        }
        sql.append(" FROM ").append(ROW);
        JavaTypeFactoryImpl typeFactory = new JavaTypeFactoryImpl(TarnTypeSystem.INSTANCE) {
            @Override
            public java.nio.charset.Charset getDefaultCharset() {
                return java.nio.charset.StandardCharsets.UTF_8;
            }
        };
        SchemaPlus root = CalciteSchema.createRootSchema(false, false).plus();
        root.add(ROW, new RowTable(schema));
        root.add("STRING", f -> f.createTypeWithNullability(f.createSqlType(SqlTypeName.VARCHAR), true));
        root.add("TIMESTAMP_NTZ", f -> f.createTypeWithNullability(
                f.createSqlType(SqlTypeName.TIMESTAMP, TypeMapping.TIMESTAMP_PRECISION), true));
        try {
            SqlNode parsed = SparkDialect.rewrite(SqlParser.create(sql.toString(), SparkDialect.PARSER).parseQuery());
            CalciteCatalogReader reader = new CalciteCatalogReader(CalciteSchema.from(root), List.of(), typeFactory,
                    CalciteSqlEngine.Setup.CONNECTION);
            SqlValidator validator = SqlValidatorUtil.newValidator(CalciteSqlEngine.Setup.OPERATORS, reader, typeFactory,
                    CalciteSqlEngine.Setup.VALIDATOR);
            SqlNode validated = validator.validate(parsed);
            if (validator.getParameterRowType(validated).getFieldCount() > 0) {
                throw new TarnException(ErrorCode.VALIDATION_ERROR, "The " + what + " cannot contain ? parameters");
            }
            HepPlanner planner = new HepPlanner(new HepProgramBuilder().build());
            RexBuilder rexBuilder = new RexBuilder(typeFactory);
            RelOptCluster cluster = RelOptCluster.create(planner, rexBuilder);
            SqlToRelConverter converter = new SqlToRelConverter((rowType, queryString, schemaPath, viewPath) -> {
                throw new TarnException(ErrorCode.UNSUPPORTED_STATEMENT, "Views are not supported");
            }, validator, reader, cluster, StandardConvertletTable.INSTANCE, CalciteSqlEngine.Setup.SQL_TO_REL);
            RelNode rel = converter.convertQuery(validated, false, true).rel;
            if (!(rel instanceof Project project) || !(project.getInput() instanceof TableScan)) {
                throw new TarnException(ErrorCode.VALIDATION_ERROR, "The " + what + " must be a scalar expression "
                        + "over the table's columns (no subqueries or aggregates): " + String.join(", ", expressions));
            }
            List<DataType> types = schema.fields().stream().map(StructField::type).toList();
            RexCompiler compiler = new RexCompiler(rexBuilder, types);
            List<Expr> out = new ArrayList<>();
            for (RexNode node : project.getProjects()) {
                if (!RexUtil.isDeterministic(node)) {
                    throw new TarnException(ErrorCode.VALIDATION_ERROR, "The " + what
                            + " must be deterministic: " + node);
                }
                out.add(compiler.compile(node));
            }
            return out;
        } catch (SqlParseException e) {
            throw new TarnException(ErrorCode.VALIDATION_ERROR, "Cannot parse the " + what + " "
                    + String.join(", ", expressions) + ": " + firstLine(e.getMessage()), e);
        } catch (CalciteContextException e) {
            throw new TarnException(ErrorCode.VALIDATION_ERROR, "Invalid " + what + " "
                    + String.join(", ", expressions) + ": " + e.getMessage(), e);
        } catch (CalciteException e) {
            throw new TarnException(ErrorCode.VALIDATION_ERROR, "Invalid " + what + " "
                    + String.join(", ", expressions) + ": " + e.getMessage(), e);
        }
    }

    private static String firstLine(String s) {
        int nl = s == null ? -1 : s.indexOf('\n');
        return nl < 0 ? String.valueOf(s) : s.substring(0, nl);
    }

    /** The row the expressions see: the table's columns by their logical names. */
    private static final class RowTable extends AbstractTable {
        private final StructType schema;

        RowTable(StructType schema) {
            this.schema = schema;
        }

        @Override
        public RelDataType getRowType(RelDataTypeFactory f) {
            List<RelDataType> types = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (StructField field : schema.fields()) {
                names.add(field.name());
                types.add(TypeMapping.toCalcite(field.type(), true, f));
            }
            return f.createStructType(types, names);
        }
    }
}

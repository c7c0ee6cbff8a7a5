package dev.tarn.query.internal.write;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.internal.expression.CastExpr;
import dev.tarn.query.internal.expression.Column;
import dev.tarn.query.internal.expression.ColumnRef;
import dev.tarn.query.internal.expression.CompareExpr;
import dev.tarn.query.internal.expression.EvalContext;
import dev.tarn.query.internal.expression.Expr;
import dev.tarn.query.internal.expression.LogicalExpr;
import dev.tarn.query.internal.plan.TypeMapping;
import dev.tarn.query.internal.sql.RowExpressions;
import dev.tarn.txlog.Transaction;
import dev.tarn.txlog.action.Metadata;
import dev.tarn.txlog.action.Protocol;
import dev.tarn.txlog.types.PrimitiveType;
import dev.tarn.txlog.types.StructField;
import dev.tarn.txlog.types.StructType;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * What every row written to a Delta table must satisfy, applied a batch at a time just before the batch becomes
 * Parquet: identity values are assigned, generated columns computed, then NOT NULL columns and CHECK constraints
 * verified. Delta's rules: PROTOCOL.md "Identity Columns" (start, step, high-water mark, explicit inserts),
 * "Generated Columns" ({@code delta.generationExpression}: a supplied value must equal the expression's),
 * "Column Invariants" (NOT NULL) and "Check Constraints" ({@code delta.constraints.<name>}: a row passes only when the
 * expression is true; false and NULL fail, as in Spark).
 *
 * <p>{@link DataFileWriter} runs these checks on every batch it writes, so INSERT, CTAS and any writer that puts rows
 * into data files through {@code DataFileWriter} (UPDATE, MERGE, copy-on-write rewrites) is checked without doing
 * anything. The writer's plain constructor checks in {@link Mode#REWRITE}; a writer of brand-new rows (INSERT, the
 * inserted rows of MERGE) should construct it with {@code forTable(..., Mode.INSERT)} for the stricter checks of
 * supplied values. A writer that assigns identity values must, before committing, call
 * {@link #recordHighWaterMarks(Transaction, Metadata, WrittenFiles)} with the {@link WrittenFiles}, which adds the metadata update carrying the
 * new {@code delta.identity.highWaterMark}s to its transaction. A writer that bypasses {@code DataFileWriter} must
 * call {@link #prepare} on each batch (in table column order) and write the returned batch instead.
 *
 * <p>A violation throws before anything is committed, so the table is unchanged. Instances are used by one writer
 * at a time (they count the identity values handed out).
 */
public final class WriteChecks {
    public static final String GENERATION_EXPRESSION = "delta.generationExpression";
    public static final String IDENTITY_START = "delta.identity.start";
    public static final String IDENTITY_STEP = "delta.identity.step";
    public static final String IDENTITY_HIGH_WATER_MARK = "delta.identity.highWaterMark";
    public static final String IDENTITY_ALLOW_EXPLICIT_INSERT = "delta.identity.allowExplicitInsert";
    public static final String CONSTRAINT_PREFIX = "delta.constraints.";

    /** How supplied values of generated and identity columns are treated. */
    public enum Mode {
        /**
         * New rows: a supplied generated value must equal the expression's; a value supplied for a GENERATED
         * ALWAYS identity column is an error; NULL (not supplied) means compute or generate.
         */
        INSERT,
        /**
         * Rows of an existing table written again (UPDATE, MERGE updates, rewrites): generated columns are
         * recomputed from the row's other columns, identity values already present are kept.
         */
        REWRITE
    }

    private record Constraint(String name, String expression, Expr check) {}

    private record Generated(int column, String expression, Expr value) {}

    private static final class Identity {
        final int column;
        final long start;
        final long step;
        final boolean allowExplicitInsert;
        Long highWaterMark;
        boolean advanced;

        Identity(int column, long start, long step, boolean allowExplicitInsert, Long highWaterMark) {
            this.column = column;
            this.start = start;
            this.step = step;
            this.allowExplicitInsert = allowExplicitInsert;
            this.highWaterMark = highWaterMark;
        }
    }

    private final StructType schema;
    private final String table;
    private final Mode mode;
    private final List<Constraint> constraints;
    private final List<Generated> generated;
    private final List<Identity> identities;
    private final int[] notNull;

    private WriteChecks(StructType schema, String table, Mode mode, List<Constraint> constraints,
                        List<Generated> generated, List<Identity> identities, int[] notNull) {
        this.schema = schema;
        this.table = table;
        this.mode = mode;
        this.constraints = List.copyOf(constraints);
        this.generated = List.copyOf(generated);
        this.identities = List.copyOf(identities);
        this.notNull = notNull;
    }

    /**
     * The checks of a table: its NOT NULL columns, the {@code delta.constraints.*} of its configuration, its
     * generated and identity columns. Compiles the expressions once.
     *
     * @param table the table's name for messages
     */
    public static WriteChecks forTable(StructType schema, Map<String, String> configuration, String table, Mode mode) {
        requireNonNull(schema, "schema is null");
        requireNonNull(configuration, "configuration is null");
        requireNonNull(table, "table is null");
        requireNonNull(mode, "mode is null");
        List<String> names = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (Map.Entry<String, String> e : configuration.entrySet()) {
            if (e.getKey().toLowerCase(Locale.ROOT).startsWith(CONSTRAINT_PREFIX)) {
                names.add(e.getKey().substring(CONSTRAINT_PREFIX.length()));
                texts.add(e.getValue());
            }
        }
        List<Constraint> constraints = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            Expr check = RowExpressions.compile(schema, List.of(texts.get(i)),
                    "CHECK constraint " + names.get(i) + " of table " + table).get(0);
            if (check.type() != PrimitiveType.BOOLEAN) {
                throw new TarnException(ErrorCode.VALIDATION_ERROR, "CHECK constraint " + names.get(i) + " of table "
                        + table + " must be a boolean expression, but " + texts.get(i) + " is "
                        + check.type().sqlName());
            }
            constraints.add(new Constraint(names.get(i), texts.get(i),
                    new LogicalExpr(LogicalExpr.Op.IS_NOT_TRUE, List.of(check))));
        }
        List<Generated> generated = new ArrayList<>();
        List<Identity> identities = new ArrayList<>();
        List<Integer> notNull = new ArrayList<>();
        for (int c = 0; c < schema.size(); c++) {
            StructField f = schema.fields().get(c);
            if (!f.nullable()) {
                notNull.add(c);
            }
            Object expression = f.metadata().get(GENERATION_EXPRESSION);
            if (expression instanceof String text) {
                Expr value = RowExpressions.compile(schema, List.of(text),
                        "generation expression of column " + f.name() + " of table " + table).get(0);
                if (!TypeMapping.sameType(value.type(), f.type())) {
                    value = new CastExpr(value, f.type());
                }
                generated.add(new Generated(c, text, value));
            }
            if (f.metadata().containsKey(IDENTITY_START)) {
                identities.add(new Identity(c, longValue(f, IDENTITY_START), longValue(f, IDENTITY_STEP),
                        Boolean.TRUE.equals(f.metadata().get(IDENTITY_ALLOW_EXPLICIT_INSERT)),
                        f.metadata().containsKey(IDENTITY_HIGH_WATER_MARK) ? longValue(f, IDENTITY_HIGH_WATER_MARK)
                                : null));
            }
        }
        return new WriteChecks(schema, table, mode, constraints, generated, identities,
                notNull.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * Whether the column's value is computed by the write checks when not supplied (generated and identity
     * columns): the SQL front end lets INSERT leave such a column out even when it is NOT NULL.
     */
    public static boolean isComputed(StructField field) {
        return field.metadata().containsKey(GENERATION_EXPRESSION) || field.metadata().containsKey(IDENTITY_START);
    }

    /**
     * The protocol a table with this configuration and schema needs (PROTOCOL.md "Table Features for New and
     * Existing Tables"): what {@link Protocol#forNewTable} derives, plus checkConstraints for
     * {@code delta.constraints.*}, generatedColumns for generation expressions, identityColumns for identity
     * columns and typeWidening when enabled or recorded in {@code delta.typeChanges}. Legacy versions are used
     * when the base protocol has no feature lists (writer 3, 4 and 6), as delta-spark does.
     */
    public static Protocol requiredProtocol(Map<String, String> configuration, StructType schema) {
        Protocol p = Protocol.forNewTable(configuration, schema);
        if (configuration.keySet().stream().anyMatch(k -> k.toLowerCase(Locale.ROOT).startsWith(CONSTRAINT_PREFIX))) {
            p = withFeature(p, "checkConstraints", 3);
        }
        boolean generatedColumns = schema.fields().stream().anyMatch(f -> f.metadata().containsKey(GENERATION_EXPRESSION));
        if (generatedColumns) {
            p = withFeature(p, "generatedColumns", 4);
        }
        if (schema.fields().stream().anyMatch(f -> f.metadata().containsKey(IDENTITY_START))) {
            p = withFeature(p, "identityColumns", 6);
        }
        if ("true".equalsIgnoreCase(configuration.getOrDefault("delta.enableTypeWidening", "false").trim())
                || schema.fields().stream().anyMatch(f -> f.metadata().containsKey("delta.typeChanges"))) {
            p = p.merge(new Protocol(Protocol.TABLE_FEATURES_READER_VERSION, Protocol.TABLE_FEATURES_WRITER_VERSION,
                    java.util.Set.of("typeWidening"), java.util.Set.of("typeWidening")));
        }
        return p;
    }

    private static Protocol withFeature(Protocol p, String feature, int legacyWriter) {
        if (p.hasWriterFeatures()) {
            return p.merge(new Protocol(1, Protocol.TABLE_FEATURES_WRITER_VERSION, java.util.Set.of(),
                    java.util.Set.of(feature)));
        }
        return p.merge(new Protocol(1, legacyWriter));
    }

    /** Just the one constraint, for checking the rows already in a table when it is added. */
    public static WriteChecks forConstraint(StructType schema, String name, String expression, String table) {
        StructType nullable = new StructType(schema.fields().stream()
                .map(f -> new StructField(f.name(), f.type(), true, Map.of())).toList());
        return forTable(nullable, Map.of(CONSTRAINT_PREFIX + name, expression), table, Mode.REWRITE);
    }

    private static long longValue(StructField f, String key) {
        Object v = f.metadata().get(key);
        if (v instanceof Number n) {
            return n.longValue();
        }
        try {
            return Long.parseLong(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            throw new TarnException(ErrorCode.VALIDATION_ERROR, "Column " + f.name() + " has an invalid " + key
                    + " '" + v + "' in its metadata", e);
        }
    }

    /** Whether there is nothing to check or compute. */
    public boolean isEmpty() {
        return constraints.isEmpty() && generated.isEmpty() && identities.isEmpty() && notNull.length == 0;
    }

    /**
     * The batch to write in place of {@code batch} (same columns): identity and generated columns filled in, after
     * every check passed. The result shares the input's vectors where nothing changed; close it after writing (the
     * input batch stays owned by its producer).
     *
     * @throws TarnException NOT_NULL_VIOLATION, CHECK_VIOLATION or VALIDATION_ERROR naming the column or constraint,
     *     its expression and the offending values
     */
    public Prepared prepare(VectorSchemaRoot batch, BufferAllocator allocator, ZoneId zone) {
        requireNonNull(batch, "batch is null");
        if (batch.getFieldVectors().size() != schema.size()) {
            throw new TarnException(ErrorCode.INTERNAL_ERROR, "A batch written to " + table + " has "
                    + batch.getFieldVectors().size() + " columns, the table " + schema.size());
        }
        List<FieldVector> vectors = new ArrayList<>(batch.getFieldVectors());
        List<FieldVector> owned = new ArrayList<>();
        int rows = batch.getRowCount();
        EvalContext context = new EvalContext(allocator, List.of(), zone, Instant.now());
        try {
            VectorSchemaRoot current = batch;
            if (rows > 0 && (!identities.isEmpty() || !generated.isEmpty())) {
                for (Identity id : identities) {
                    FieldVector filled = assignIdentity(id, vectors.get(id.column), rows, allocator);
                    if (filled != null) {
                        owned.add(filled);
                        vectors.set(id.column, filled);
                    }
                }
                current = view(vectors, rows);
                List<FieldVector> computed = new ArrayList<>();
                for (Generated g : generated) {
                    computed.add(computeGenerated(g, current, context, owned));
                }
                for (int i = 0; i < generated.size(); i++) {
                    vectors.set(generated.get(i).column(), computed.get(i));
                }
                current = view(vectors, rows);
            }
            for (int c : notNull) {
                FieldVector v = vectors.get(c);
                if (v.getNullCount() > 0) {
                    throw new TarnException(ErrorCode.NOT_NULL_VIOLATION, "Column '" + schema.fields().get(c).name()
                            + "' of table " + table + " is NOT NULL, but the statement writes NULL into it");
                }
            }
            for (Constraint constraint : constraints) {
                try (Column failed = constraint.check().evaluate(current, context)) {
                    int row = firstTrue((BitVector) failed.vector(), rows);
                    if (row >= 0) {
                        throw new TarnException(ErrorCode.CHECK_VIOLATION, "CHECK constraint " + constraint.name()
                                + " (" + constraint.expression() + ") of table " + table
                                + " is violated by a row with values " + describeRow(current, row));
                    }
                }
            }
            Prepared out = new Prepared(current == batch ? batch : current, owned);
            owned = List.of();
            return out;
        } finally {
            owned.forEach(FieldVector::close);
        }
    }

    private VectorSchemaRoot view(List<FieldVector> vectors, int rows) {
        return new VectorSchemaRoot(vectors.stream().map(FieldVector::getField).toList(), vectors, rows);
    }

    /** A new vector with generated values where {@code supplied} is NULL, or null when nothing was NULL. */
    private FieldVector assignIdentity(Identity id, FieldVector supplied, int rows, BufferAllocator allocator) {
        int nulls = supplied.getNullCount();
        if (mode == Mode.INSERT && !id.allowExplicitInsert && nulls < rows) {
            throw new TarnException(ErrorCode.VALIDATION_ERROR, "Column '" + schema.fields().get(id.column).name()
                    + "' of table " + table + " is GENERATED ALWAYS AS IDENTITY; leave it out of the INSERT and Tarn"
                    + " assigns its values");
        }
        if (nulls == 0) {
            return null;
        }
        BigIntVector in = (BigIntVector) supplied;
        BigIntVector out = new BigIntVector(supplied.getField(), allocator);
        try {
            out.allocateNew(rows);
            long next = id.highWaterMark == null ? id.start : add(id, id.highWaterMark, id.step);
            long last = next;
            boolean any = false;
            for (int r = 0; r < rows; r++) {
                if (in.isNull(r)) {
                    if (any) {
                        next = add(id, next, id.step);
                    }
                    out.set(r, next);
                    last = next;
                    any = true;
                } else {
                    out.set(r, in.get(r));
                }
            }
            out.setValueCount(rows);
            id.highWaterMark = last;
            id.advanced = true;
            return out;
        } catch (RuntimeException e) {
            out.close();
            throw e;
        }
    }

    private long add(Identity id, long a, long b) {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException e) {
            throw new TarnException(ErrorCode.NUMERIC_OVERFLOW, "Identity column '"
                    + schema.fields().get(id.column).name() + "' of table " + table + " has run out of BIGINT values", e);
        }
    }

    private FieldVector computeGenerated(Generated g, VectorSchemaRoot batch, EvalContext context,
                                         List<FieldVector> owned) {
        Column value = g.value().evaluate(batch, context);
        FieldVector result = value.vector();
        if (!value.owned()) {
            return result; // the expression is the column itself
        }
        owned.add(result);
        if (mode == Mode.INSERT) {
            FieldVector supplied = batch.getVector(g.column());
            if (supplied.getNullCount() < batch.getRowCount()) {
                StructField f = schema.fields().get(g.column());
                VectorSchemaRoot pair = new VectorSchemaRoot(List.of(supplied.getField(), result.getField()),
                        List.of(supplied, result), batch.getRowCount());
                Expr mismatch = new LogicalExpr(LogicalExpr.Op.AND, List.of(
                        new LogicalExpr(LogicalExpr.Op.IS_NOT_NULL, List.of(new ColumnRef(0, f.type()))),
                        new CompareExpr(CompareExpr.Op.DISTINCT, new ColumnRef(0, f.type()), new ColumnRef(1, f.type()))));
                try (Column bad = mismatch.evaluate(pair, context)) {
                    int row = firstTrue((BitVector) bad.vector(), batch.getRowCount());
                    if (row >= 0) {
                        throw new TarnException(ErrorCode.CHECK_VIOLATION, "Column '" + f.name() + "' of table "
                                + table + " is GENERATED ALWAYS AS (" + g.expression() + "), but the statement writes "
                                + JavaValues.get(supplied, row, f.type()) + " where the expression gives "
                                + JavaValues.get(result, row, f.type()) + " (row with values "
                                + describeRow(batch, row) + ")");
                    }
                }
            }
        }
        return result;
    }

    private static int firstTrue(BitVector v, int rows) {
        for (int r = 0; r < rows; r++) {
            if (!v.isNull(r) && v.get(r) != 0) {
                return r;
            }
        }
        return -1;
    }

    private String describeRow(VectorSchemaRoot batch, int row) {
        StringBuilder sb = new StringBuilder("{");
        for (int c = 0; c < schema.size(); c++) {
            StructField f = schema.fields().get(c);
            if (c > 0) {
                sb.append(", ");
            }
            Object v = f.type() instanceof PrimitiveType || f.type() instanceof dev.tarn.txlog.types.DecimalType
                    ? JavaValues.get(batch.getVector(c), row, f.type()) : batch.getVector(c).getObject(row);
            sb.append(f.name()).append(" = ").append(v instanceof String s ? "'" + s + "'" : v);
        }
        return sb.append('}').toString();
    }

    /**
     * The table's schema with the identity high-water marks advanced by the values assigned so far, or empty when
     * none were assigned.
     */
    public Optional<StructType> schemaWithHighWaterMarks() {
        if (identities.stream().noneMatch(i -> i.advanced)) {
            return Optional.empty();
        }
        List<StructField> fields = new ArrayList<>(schema.fields());
        for (Identity id : identities) {
            if (id.advanced) {
                StructField f = fields.get(id.column);
                Map<String, Object> metadata = new LinkedHashMap<>(f.metadata());
                metadata.put(IDENTITY_HIGH_WATER_MARK, id.highWaterMark);
                fields.set(id.column, new StructField(f.name(), f.type(), f.nullable(), metadata));
            }
        }
        return Optional.of(new StructType(fields));
    }

    /**
     * Adds to {@code txn} the metadata update recording the identity values the writer of {@code files} assigned (PROTOCOL.md
     * "Identity Columns": the high-water mark is committed with the rows), if it assigned any. {@code current} is
     * the metadata the transaction would otherwise commit. The update also makes concurrent writers of the same
     * table conflict instead of handing out the same values twice.
     */
    public static void recordHighWaterMarks(Transaction txn, Metadata current, WrittenFiles files) {
        requireNonNull(txn, "txn is null");
        requireNonNull(current, "current is null");
        Optional<StructType> updated = files.identityHighWaterMarks();
        if (updated.isEmpty()) {
            return;
        }
        // Only the identity fields' metadata changes; keep everything else of the current schema (e.g. a column
        // added by schema evolution in the same commit).
        StructType base = current.schema();
        List<StructField> fields = new ArrayList<>();
        for (StructField f : base.fields()) {
            Optional<StructField> u = updated.get().field(f.name());
            if (u.isPresent() && u.get().metadata().containsKey(IDENTITY_HIGH_WATER_MARK)) {
                Map<String, Object> metadata = new LinkedHashMap<>(f.metadata());
                metadata.put(IDENTITY_HIGH_WATER_MARK, u.get().metadata().get(IDENTITY_HIGH_WATER_MARK));
                fields.add(new StructField(f.name(), f.type(), f.nullable(), metadata));
            } else {
                fields.add(f);
            }
        }
        txn.updateMetadata(current.withSchema(new StructType(fields)));
    }

    /** A batch ready to write and the vectors computed for it; closing releases those. */
    public static final class Prepared implements AutoCloseable {
        private final VectorSchemaRoot batch;
        private final List<FieldVector> owned;

        Prepared(VectorSchemaRoot batch, List<FieldVector> owned) {
            this.batch = batch;
            this.owned = List.copyOf(owned);
        }

        public VectorSchemaRoot batch() {
            return batch;
        }

        @Override
        public void close() {
            owned.forEach(FieldVector::close);
        }
    }
}

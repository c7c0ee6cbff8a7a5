package dev.tarn.query.internal.scan;

import dev.tarn.query.internal.catalog.PushedFilter;
import dev.tarn.txlog.skipping.Predicate;
import dev.tarn.txlog.types.DataType;
import dev.tarn.txlog.types.StructField;
import dev.tarn.txlog.types.StructType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Turns the SQL engine's pushed conjuncts into the log's file-skipping predicate. */
public final class SkippingFilters {
    private SkippingFilters() {}

    /** The conjunction of the filters, or empty when there are none usable for skipping. */
    public static Optional<Predicate> toPredicate(StructType schema, List<PushedFilter> filters) {
        List<Predicate> conjuncts = new ArrayList<>();
        for (PushedFilter f : filters) {
            if (f.comparesColumns()) {
                continue; // file statistics bound each column alone
            }
            if (f.column() >= schema.size()) {
                throw new IllegalArgumentException("Pushed filter on column " + f.column() + " of a table with "
                        + schema.size() + " columns");
            }
            StructField field = schema.fields().get(f.column());
            if (field.type().isNested()) {
                continue; // statistics exist only for leaf columns
            }
            Predicate.Column column = Predicate.Column.of(field.name());
            DataType type = field.type();
            Predicate p = switch (f.op()) {
                case IS_NULL -> new Predicate.IsNull(column);
                case IS_NOT_NULL -> new Predicate.IsNotNull(column);
                case IN -> new Predicate.In(column, f.values().stream().map(v -> new Predicate.Literal(v, type)).toList());
                case EQ -> compare(column, Predicate.Op.EQ, f, type);
                case NE -> compare(column, Predicate.Op.NE, f, type);
                case LT -> compare(column, Predicate.Op.LT, f, type);
                case LE -> compare(column, Predicate.Op.LE, f, type);
                case GT -> compare(column, Predicate.Op.GT, f, type);
                case GE -> compare(column, Predicate.Op.GE, f, type);
            };
            conjuncts.add(p);
        }
        if (conjuncts.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(conjuncts.size() == 1 ? conjuncts.get(0) : new Predicate.And(conjuncts));
    }

    private static Predicate compare(Predicate.Column column, Predicate.Op op, PushedFilter f, DataType type) {
        if (f.values().size() != 1) {
            throw new IllegalArgumentException("Comparison filter " + f + " needs exactly one value");
        }
        return new Predicate.Comparison(column, op, new Predicate.Literal(f.values().get(0), type));
    }
}

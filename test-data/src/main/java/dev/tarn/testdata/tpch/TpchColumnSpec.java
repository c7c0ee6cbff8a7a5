package dev.tarn.testdata.tpch;

import static java.util.Objects.requireNonNull;

import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * One TPC-H column as Tarn stores it: keys BIGINT, other integers INTEGER, money, quantity, discount and tax
 * DECIMAL(15,2), dates DATE, text STRING (the types the shared reference answers were computed over).
 *
 * @param name the column name, lower case ({@code l_orderkey})
 * @param kind the column's SQL type
 */
public record TpchColumnSpec(String name, Kind kind) {
    /** The five column types TPC-H uses. */
    public enum Kind {
        BIGINT("BIGINT", new ArrowType.Int(64, true)),
        INTEGER("INT", new ArrowType.Int(32, true)),
        DECIMAL("DECIMAL(15,2)", new ArrowType.Decimal(15, 2, 128)),
        DATE("DATE", new ArrowType.Date(DateUnit.DAY)),
        STRING("STRING", ArrowType.Utf8.INSTANCE);

        private final String sql;
        private final ArrowType arrow;

        Kind(String sql, ArrowType arrow) {
            this.sql = sql;
            this.arrow = arrow;
        }

        /** The type as written in CREATE TABLE. */
        public String sql() {
            return sql;
        }

        public ArrowType arrowType() {
            return arrow;
        }
    }

    public TpchColumnSpec {
        requireNonNull(name, "name is null");
        requireNonNull(kind, "kind is null");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("name is empty");
        }
    }

    /** The Arrow field of this column in generated batches (nullable, as Tarn's tables declare it). */
    public Field arrowField() {
        return new Field(name, FieldType.nullable(kind.arrowType()), null);
    }
}

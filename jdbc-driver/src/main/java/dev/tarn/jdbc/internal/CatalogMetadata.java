package dev.tarn.jdbc.internal;

import static java.util.Objects.requireNonNull;

import dev.tarn.query.CatalogView;
import dev.tarn.query.Session;
import dev.tarn.query.TableInfo;
import dev.tarn.txlog.types.StructField;
import java.sql.DatabaseMetaData;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.Meta.MetaResultSet;
import org.apache.calcite.avatica.Meta.Pat;
import org.apache.calcite.avatica.MetaImpl;

/**
 * The JDBC catalog result sets ({@code getSchemas}, {@code getTables}, {@code getColumns}, ...) built from the
 * session's {@link CatalogView}. Tarn has no catalogs: TABLE_CAT is null and a non-null, non-empty catalog argument
 * matches nothing. Patterns are SQL LIKE patterns ({@code %}, {@code _}, escape {@code \}), matched ignoring case like
 * Tarn identifiers; null matches everything.
 */
final class CatalogMetadata {
    static final String TABLE_TYPE = "TABLE";
    static final String VIEW_TYPE = "VIEW";

    private final TarnMeta meta;
    private final Session session;

    CatalogMetadata(TarnMeta meta, Session session) {
        this.meta = requireNonNull(meta, "meta is null");
        this.session = requireNonNull(session, "session is null");
    }

    MetaResultSet schemas(String catalog, Pat schemaPattern) {
        List<Object[]> rows = new ArrayList<>();
        if (catalogMatches(catalog)) {
            Pattern p = like(schemaPattern);
            for (String s : session.catalog().schemas()) {
                if (p.matcher(s).matches()) {
                    rows.add(new Object[] {s, null});
                }
            }
        }
        return meta.arrayResultSet(columns(
                "TABLE_SCHEM", String.class, false,
                "TABLE_CATALOG", String.class, true), rows);
    }

    MetaResultSet tables(String catalog, Pat schemaPattern, Pat tablePattern, List<String> types) {
        List<Object[]> rows = new ArrayList<>();
        if (catalogMatches(catalog) && (types == null || types.contains(TABLE_TYPE))) {
            for (TableInfo t : tables(schemaPattern, tablePattern)) {
                rows.add(new Object[] {null, t.schema(), t.name(), TABLE_TYPE, t.comment(), null, null, null, null,
                    null});
            }
        }
        return meta.arrayResultSet(columns(
                "TABLE_CAT", String.class, true,
                "TABLE_SCHEM", String.class, true,
                "TABLE_NAME", String.class, false,
                "TABLE_TYPE", String.class, false,
                "REMARKS", String.class, true,
                "TYPE_CAT", String.class, true,
                "TYPE_SCHEM", String.class, true,
                "TYPE_NAME", String.class, true,
                "SELF_REFERENCING_COL_NAME", String.class, true,
                "REF_GENERATION", String.class, true), rows);
    }

    MetaResultSet columns(String catalog, Pat schemaPattern, Pat tablePattern, Pat columnPattern) {
        List<Object[]> rows = new ArrayList<>();
        if (catalogMatches(catalog)) {
            Pattern cp = like(columnPattern);
            for (TableInfo t : tables(schemaPattern, tablePattern)) {
                int ordinal = 0;
                for (StructField f : t.columns().fields()) {
                    ordinal++;
                    if (!cp.matcher(f.name()).matches()) {
                        continue;
                    }
                    JdbcTypes.JdbcType j = JdbcTypes.of(f.type());
                    boolean numeric = j.signed();
                    boolean hasSize = j.precision() > 0;
                    rows.add(new Object[] {
                        null, t.schema(), t.name(), f.name(),
                        j.sqlType(), j.typeName(),
                        hasSize ? j.precision() : null,
                        null,
                        numeric || j.scale() > 0 ? j.scale() : null,
                        numeric ? 10 : null,
                        f.nullable() ? DatabaseMetaData.columnNullable : DatabaseMetaData.columnNoNulls,
                        f.comment(),
                        null, null, null,
                        j.sqlType() == java.sql.Types.VARCHAR || j.sqlType() == java.sql.Types.VARBINARY
                                ? Integer.MAX_VALUE : null,
                        ordinal,
                        f.nullable() ? "YES" : "NO",
                        null, null, null, null,
                        "NO", "NO"});
                }
            }
        }
        return meta.arrayResultSet(columns(
                "TABLE_CAT", String.class, true,
                "TABLE_SCHEM", String.class, true,
                "TABLE_NAME", String.class, false,
                "COLUMN_NAME", String.class, false,
                "DATA_TYPE", int.class, false,
                "TYPE_NAME", String.class, false,
                "COLUMN_SIZE", Integer.class, true,
                "BUFFER_LENGTH", Integer.class, true,
                "DECIMAL_DIGITS", Integer.class, true,
                "NUM_PREC_RADIX", Integer.class, true,
                "NULLABLE", int.class, false,
                "REMARKS", String.class, true,
                "COLUMN_DEF", String.class, true,
                "SQL_DATA_TYPE", Integer.class, true,
                "SQL_DATETIME_SUB", Integer.class, true,
                "CHAR_OCTET_LENGTH", Integer.class, true,
                "ORDINAL_POSITION", int.class, false,
                "IS_NULLABLE", String.class, false,
                "SCOPE_CATALOG", String.class, true,
                "SCOPE_SCHEMA", String.class, true,
                "SCOPE_TABLE", String.class, true,
                "SOURCE_DATA_TYPE", Short.class, true,
                "IS_AUTOINCREMENT", String.class, false,
                "IS_GENERATEDCOLUMN", String.class, false), rows);
    }

    MetaResultSet catalogs() {
        return meta.arrayResultSet(columns("TABLE_CAT", String.class, false), List.of());
    }

    MetaResultSet tableTypes() {
        List<Object[]> rows = new ArrayList<>();
        rows.add(new Object[] {TABLE_TYPE});
        // BI tools ask for {TABLE, VIEW} and expect both types to exist; Tarn has no views yet, so none are listed.
        rows.add(new Object[] {VIEW_TYPE});
        return meta.arrayResultSet(columns("TABLE_TYPE", String.class, false), rows);
    }

    /** The engine's functions ({@link EngineFunctions}); they belong to no schema. */
    MetaResultSet functions(String catalog, Pat functionPattern) {
        List<Object[]> rows = new ArrayList<>();
        if (catalogMatches(catalog)) {
            Pattern p = like(functionPattern);
            for (EngineFunctions.Function f : EngineFunctions.ALL) {
                if (p.matcher(f.name()).matches()) {
                    rows.add(new Object[] {null, null, f.name(), f.remarks(),
                        (short) DatabaseMetaData.functionNoTable, f.name()});
                }
            }
        }
        return meta.arrayResultSet(columns(
                "FUNCTION_CAT", String.class, true,
                "FUNCTION_SCHEM", String.class, true,
                "FUNCTION_NAME", String.class, false,
                "REMARKS", String.class, true,
                "FUNCTION_TYPE", short.class, false,
                "SPECIFIC_NAME", String.class, false), rows);
    }

    MetaResultSet typeInfo() {
        return meta.arrayResultSet(columns(
                "TYPE_NAME", String.class, false,
                "DATA_TYPE", int.class, false,
                "PRECISION", int.class, false,
                "LITERAL_PREFIX", String.class, true,
                "LITERAL_SUFFIX", String.class, true,
                "CREATE_PARAMS", String.class, true,
                "NULLABLE", short.class, false,
                "CASE_SENSITIVE", boolean.class, false,
                "SEARCHABLE", short.class, false,
                "UNSIGNED_ATTRIBUTE", boolean.class, false,
                "FIXED_PREC_SCALE", boolean.class, false,
                "AUTO_INCREMENT", boolean.class, false,
                "LOCAL_TYPE_NAME", String.class, true,
                "MINIMUM_SCALE", short.class, false,
                "MAXIMUM_SCALE", short.class, false,
                "SQL_DATA_TYPE", Integer.class, true,
                "SQL_DATETIME_SUB", Integer.class, true,
                "NUM_PREC_RADIX", Integer.class, true), JdbcTypes.typeInfoRows());
    }

    private List<TableInfo> tables(Pat schemaPattern, Pat tablePattern) {
        CatalogView catalog = session.catalog();
        Pattern sp = like(schemaPattern);
        Pattern tp = like(tablePattern);
        List<TableInfo> out = new ArrayList<>();
        for (String s : catalog.schemas()) {
            if (!sp.matcher(s).matches()) {
                continue;
            }
            for (TableInfo t : catalog.tables(s)) {
                if (tp.matcher(t.name()).matches()) {
                    out.add(t);
                }
            }
        }
        return out;
    }

    private static boolean catalogMatches(String catalog) {
        return catalog == null || catalog.isEmpty();
    }

    /** A SQL LIKE pattern as a regex; null (or a null Pat) matches everything. */
    static Pattern like(Pat pat) {
        String s = pat == null ? null : pat.s;
        if (s == null) {
            return Pattern.compile(".*", Pattern.DOTALL);
        }
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                re.append(Pattern.quote(String.valueOf(s.charAt(++i))));
            } else if (c == '%') {
                re.append(".*");
            } else if (c == '_') {
                re.append('.');
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        // Tarn's identifiers are case-insensitive, so names match patterns regardless of case (tools that believe
        // identifiers are stored upper-case, as Avatica's remote metadata reports, still find lower-case tables).
        return Pattern.compile(re.toString(), Pattern.DOTALL | Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }

    /** Column metadata from (name, class, nullable) triples. */
    private static List<ColumnMetaData> columns(Object... spec) {
        List<ColumnMetaData> out = new ArrayList<>();
        for (int i = 0; i < spec.length; i += 3) {
            out.add(MetaImpl.columnMetaData((String) spec[i], out.size(), (Class<?>) spec[i + 1],
                    (Boolean) spec[i + 2]));
        }
        return out;
    }
}

package dev.tarn.query.internal.sql;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.internal.catalog.LakeCatalog;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParserPos;

/** Translates Calcite's parse and validation failures into Tarn's error codes, keeping Calcite's exception as cause. */
final class SqlErrors {
    private static final Pattern OBJECT_NOT_FOUND = Pattern.compile("Object '([^']*)' not found( within '([^']*)')?");
    private static final Pattern TABLE_NOT_FOUND = Pattern.compile("Table '([^']*)' not found");
    private static final Pattern COLUMN_NOT_FOUND = Pattern.compile("Column '([^']*)' not found.*|Unknown target column '([^']*)'.*");
    private static final Pattern FUNCTION_NOT_FOUND = Pattern.compile("No match found for function signature (.*)");

    private SqlErrors() {}

    static TarnException parse(SqlParseException e, String sql) {
        SqlParserPos pos = e.getPos();
        String first = e.getMessage() == null ? "syntax error" : e.getMessage().split("\n", 2)[0].trim();
        String where = pos == null ? "" : " at line " + pos.getLineNum() + ", column " + pos.getColumnNum();
        String message = first.contains(" at line ") ? first : first + where;
        return new TarnException(ErrorCode.SYNTAX_ERROR, "Syntax error: " + message, e);
    }

    static TarnException validation(CalciteContextException e, String sql, LakeCatalog catalog) {
        String detail = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : e.getMessage();
        String where = " (line " + e.getPosLine() + ", column " + e.getPosColumn() + ")";
        Matcher m = OBJECT_NOT_FOUND.matcher(detail);
        if (m.find()) {
            String name = m.group(1);
            if (m.group(3) == null && isQualified(e, sql) && !catalog.schemaExists(name)
                    && !name.equalsIgnoreCase(LakeSchemas.PATH_SCHEMA)) {
                return new TarnException(ErrorCode.SCHEMA_NOT_FOUND, "Schema '" + name + "' not found" + where, e);
            }
            String table = m.group(3) == null ? name : m.group(3) + "." + name;
            return new TarnException(ErrorCode.TABLE_NOT_FOUND, "Table '" + table + "' not found" + where, e);
        }
        m = TABLE_NOT_FOUND.matcher(detail);
        if (m.find()) {
            return new TarnException(ErrorCode.TABLE_NOT_FOUND, "Table '" + m.group(1) + "' not found" + where, e);
        }
        if (COLUMN_NOT_FOUND.matcher(detail).find()) {
            return new TarnException(ErrorCode.COLUMN_NOT_FOUND, detail + where, e);
        }
        m = FUNCTION_NOT_FOUND.matcher(detail);
        if (m.find()) {
            return new TarnException(ErrorCode.FUNCTION_NOT_FOUND, "Function not found: " + m.group(1) + where, e);
        }
        if (detail.contains("does not allow NULLs") || detail.contains("has no default value")) {
            return new TarnException(ErrorCode.NOT_NULL_VIOLATION, detail + where, e);
        }
        if (detail.startsWith("Cannot apply") || detail.startsWith("Cannot assign") || detail.contains("type mismatch")
                || detail.startsWith("Cannot infer")
                || detail.contains("Illegal mixing of types") || detail.startsWith("Values passed to")
                || detail.contains("incompatible")) {
            return new TarnException(ErrorCode.TYPE_MISMATCH, detail + where, e);
        }
        if (detail.contains("ambiguous")) {
            return new TarnException(ErrorCode.AMBIGUOUS_NAME, detail + where, e);
        }
        return new TarnException(ErrorCode.VALIDATION_ERROR, detail + where, e);
    }

    /** Whether the failing identifier (the context's position range) is qualified, as in {@code s.t}. */
    private static boolean isQualified(CalciteContextException e, String sql) {
        String[] lines = sql.split("\n", -1);
        if (e.getPosLine() < 1 || e.getPosLine() > lines.length || e.getPosLine() != e.getEndPosLine()) {
            return false;
        }
        String line = lines[e.getPosLine() - 1];
        int from = Math.max(0, e.getPosColumn() - 1);
        int to = Math.min(line.length(), e.getEndPosColumn());
        return from < to && line.substring(from, to).contains(".");
    }
}

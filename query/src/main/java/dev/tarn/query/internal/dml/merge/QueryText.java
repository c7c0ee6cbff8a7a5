package dev.tarn.query.internal.dml.merge;

import dev.tarn.error.TarnException;
import dev.tarn.query.internal.ddl.DdlParser;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of a query built from pieces of a MERGE statement, one piece per line, remembering where each piece came
 * from: a parse or validation error Calcite reports at a line and column of the built query is translated back to
 * the line and column of the statement the user wrote.
 */
final class QueryText {
    private static final Pattern POSITION = Pattern.compile("line (\\d+), column (\\d+)");

    private final StringBuilder text = new StringBuilder();
    /** Per line of the built text: offset in the statement of the line's piece (or -1), and the prefix's length. */
    private final List<int[]> origins = new ArrayList<>();

    /** Appends a line holding {@code prefix}, then a piece of the statement, then {@code suffix}. */
    QueryText line(String prefix, MergeSpec.Text piece, String suffix) {
        if (piece.sql().indexOf('\n') >= 0 || piece.sql().indexOf('\r') >= 0) {
            // A multi-line piece: positions on its first line still map exactly; later lines map to the piece's start.
            origins.add(new int[] {piece.offset(), prefix.length()});
            String[] lines = piece.sql().split("\r\n|\r|\n", -1);
            text.append(prefix).append(lines[0]);
            for (int i = 1; i < lines.length; i++) {
                text.append('\n').append(lines[i]);
                origins.add(new int[] {piece.offset(), -1});
            }
            text.append(suffix).append('\n');
            return this;
        }
        origins.add(new int[] {piece.offset(), prefix.length()});
        text.append(prefix).append(piece.sql()).append(suffix).append('\n');
        return this;
    }

    /** Appends a generated line (errors on it are reported without a position in the statement). */
    QueryText line(String generated) {
        origins.add(new int[] {-1, 0});
        text.append(generated).append('\n');
        return this;
    }

    @Override
    public String toString() {
        return text.toString();
    }

    /** The error with positions in the built query replaced by positions in {@code statement}. */
    TarnException translate(TarnException e, String statement) {
        String message = e.getMessage();
        if (message == null) {
            return e;
        }
        Matcher m = POSITION.matcher(message);
        StringBuilder out = new StringBuilder();
        boolean changed = false;
        while (m.find()) {
            int line = Integer.parseInt(m.group(1));
            int column = Integer.parseInt(m.group(2));
            String replacement = "the MERGE statement";
            if (line >= 1 && line <= origins.size() && origins.get(line - 1)[0] >= 0) {
                int[] origin = origins.get(line - 1);
                int offset = origin[1] < 0 ? origin[0] : origin[0] + Math.max(0, column - 1 - origin[1]);
                replacement = DdlParser.positionOf(statement, offset);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
            changed = true;
        }
        if (!changed) {
            return e;
        }
        m.appendTail(out);
        return new TarnException(e.errorCode(), out.toString(), e);
    }
}

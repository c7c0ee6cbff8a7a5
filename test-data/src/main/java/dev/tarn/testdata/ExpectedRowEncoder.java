package dev.tarn.testdata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.MapVector;
import org.apache.arrow.vector.complex.StructVector;

/**
 * Encodes Arrow rows in the value encoding of the conformance files ({@code delta-tables/README.md}, "Value encoding
 * in rows"): a row is a JSON array in column order; decimals are strings with the type's scale, binary is lowercase
 * hex, timestamps are ISO strings with six fraction digits, maps are arrays of [key, value] pairs sorted by the key's
 * compact JSON. This is test code: clarity over speed.
 */
public final class ExpectedRowEncoder {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");

    private ExpectedRowEncoder() {}

    public static List<JsonNode> encode(VectorSchemaRoot root) {
        List<JsonNode> rows = new ArrayList<>(root.getRowCount());
        for (int r = 0; r < root.getRowCount(); r++) {
            ArrayNode row = F.arrayNode();
            for (FieldVector v : root.getFieldVectors()) {
                row.add(value(v, r));
            }
            rows.add(row);
        }
        return rows;
    }

    /** Encodes one cell. */
    public static JsonNode value(ValueVector v, int i) {
        if (v.isNull(i)) {
            return F.nullNode();
        }
        if (v instanceof BitVector b) {
            return F.booleanNode(b.get(i) != 0);
        }
        if (v instanceof TinyIntVector t) {
            return F.numberNode(t.get(i));
        }
        if (v instanceof SmallIntVector s) {
            return F.numberNode(s.get(i));
        }
        if (v instanceof IntVector n) {
            return F.numberNode(n.get(i));
        }
        if (v instanceof BigIntVector l) {
            return F.numberNode(l.get(i));
        }
        if (v instanceof Float4Vector f) {
            return floating(f.get(i), true);
        }
        if (v instanceof Float8Vector d) {
            return floating(d.get(i), false);
        }
        if (v instanceof DecimalVector d) {
            BigDecimal bd = d.getObject(i);
            return F.textNode(bd.setScale(d.getScale()).toPlainString());
        }
        if (v instanceof VarCharVector s) {
            return F.textNode(new String(s.get(i), java.nio.charset.StandardCharsets.UTF_8));
        }
        if (v instanceof VarBinaryVector b) {
            return F.textNode(HexFormat.of().formatHex(b.get(i)));
        }
        if (v instanceof DateDayVector d) {
            return F.textNode(LocalDate.ofEpochDay(d.get(i)).toString());
        }
        if (v instanceof TimeStampMicroTZVector t) {
            long micros = t.get(i);
            Instant inst = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
            return F.textNode(MICROS.format(LocalDateTime.ofInstant(inst, ZoneOffset.UTC)) + "Z");
        }
        if (v instanceof TimeStampMicroVector t) {
            long micros = t.get(i);
            LocalDateTime ldt = LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                    (int) Math.floorMod(micros, 1_000_000L) * 1000, ZoneOffset.UTC);
            return F.textNode(MICROS.format(ldt));
        }
        if (v instanceof MapVector m) {
            StructVector entries = (StructVector) m.getDataVector();
            ValueVector keys = entries.getChildByOrdinal(0);
            ValueVector values = entries.getChildByOrdinal(1);
            List<ArrayNode> pairs = new ArrayList<>();
            for (int k = m.getElementStartIndex(i); k < m.getElementEndIndex(i); k++) {
                ArrayNode pair = F.arrayNode();
                pair.add(value(keys, k));
                pair.add(value(values, k));
                pairs.add(pair);
            }
            pairs.sort((a, b) -> a.get(0).toString().compareTo(b.get(0).toString()));
            ArrayNode out = F.arrayNode();
            pairs.forEach(out::add);
            return out;
        }
        if (v instanceof ListVector l) {
            ArrayNode out = F.arrayNode();
            ValueVector data = l.getDataVector();
            for (int k = l.getElementStartIndex(i); k < l.getElementEndIndex(i); k++) {
                out.add(value(data, k));
            }
            return out;
        }
        if (v instanceof StructVector s) {
            ObjectNode out = F.objectNode();
            for (String name : s.getChildFieldNames()) {
                out.set(name, value(s.getChild(name), i));
            }
            return out;
        }
        Object o = v.getObject(i);
        return F.textNode(String.valueOf(o));
    }

    private static JsonNode floating(double d, boolean single) {
        if (Double.isNaN(d)) {
            return F.textNode("NaN");
        }
        if (Double.isInfinite(d)) {
            return F.textNode(d > 0 ? "Infinity" : "-Infinity");
        }
        // Shortest decimal that round-trips the value at its own width.
        return F.numberNode(new BigDecimal(single ? Float.toString((float) d) : Double.toString(d)));
    }
}

package dev.tarn.txlog.internal.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.storage.fs.FileIO;
import dev.tarn.storage.parquet.ArrowParquetReader;
import dev.tarn.storage.parquet.ParquetReadRequest;
import dev.tarn.txlog.action.Action;
import dev.tarn.txlog.internal.json.ActionJson;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.MapVector;
import org.apache.arrow.vector.complex.StructVector;

/**
 * Reads actions from Parquet checkpoint files and sidecars (PROTOCOL.md "Checkpoint Schema"). Each non-null action
 * column of a row becomes a JSON object and goes through the same parser as commit lines, so both forms share one
 * set of validation rules.
 */
public final class ParquetCheckpoints {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final int BATCH_ROWS = 8192;

    private ParquetCheckpoints() {}

    public static void readActions(FileIO io, String location, Consumer<Action> sink) {
        try (BufferAllocator allocator = new RootAllocator();
             ArrowParquetReader reader = ArrowParquetReader.open(io.newInputFile(location),
                     new ParquetReadRequest(CheckpointSchema.readSchema(), false, BATCH_ROWS, g -> true), allocator)) {
            long row = 0;
            VectorSchemaRoot batch;
            while ((batch = reader.next()) != null) {
                List<FieldVector> columns = batch.getFieldVectors();
                for (int i = 0; i < batch.getRowCount(); i++, row++) {
                    for (FieldVector column : columns) {
                        if (column.isNull(i)) {
                            continue;
                        }
                        ObjectNode wrapper = F.objectNode();
                        wrapper.set(column.getName(), toJson(column, i));
                        Action a;
                        try {
                            a = ActionJson.parseAction(wrapper);
                        } catch (RuntimeException e) {
                            throw new TarnException(ErrorCode.CORRUPT_LOG, "Malformed " + column.getName()
                                    + " action in checkpoint file " + location + " row " + row + ": " + e.getMessage(), e);
                        }
                        if (a != null) {
                            sink.accept(a);
                        }
                    }
                }
            }
        }
    }

    /** One Arrow value as JSON: structs as objects, maps as objects, lists as arrays. */
    static JsonNode toJson(ValueVector v, int i) {
        if (v.isNull(i)) {
            return F.nullNode();
        }
        if (v instanceof VarCharVector s) {
            return F.textNode(new String(s.get(i), StandardCharsets.UTF_8));
        }
        if (v instanceof BaseIntVector n) {
            return F.numberNode(n.getValueAsLong(i));
        }
        if (v instanceof BitVector b) {
            return F.booleanNode(b.get(i) != 0);
        }
        if (v instanceof Float8Vector d) {
            return F.numberNode(d.get(i));
        }
        if (v instanceof Float4Vector d) {
            return F.numberNode(d.get(i));
        }
        if (v instanceof StructVector s) {
            ObjectNode o = F.objectNode();
            for (String name : s.getChildFieldNames()) {
                ValueVector child = s.getChild(name);
                if (!child.isNull(i)) {
                    o.set(name, toJson(child, i));
                }
            }
            return o;
        }
        if (v instanceof MapVector m) {
            ObjectNode o = F.objectNode();
            StructVector entries = (StructVector) m.getDataVector();
            ValueVector keys = entries.getChild(MapVector.KEY_NAME);
            ValueVector values = entries.getChild(MapVector.VALUE_NAME);
            int start = m.getElementStartIndex(i);
            int end = m.getElementEndIndex(i);
            for (int j = start; j < end; j++) {
                o.set(toJson(keys, j).asText(), toJson(values, j));
            }
            return o;
        }
        if (v instanceof ListVector l) {
            ArrayNode a = F.arrayNode();
            ValueVector data = l.getDataVector();
            for (int j = l.getElementStartIndex(i); j < l.getElementEndIndex(i); j++) {
                a.add(toJson(data, j));
            }
            return a;
        }
        Object o = v.getObject(i);
        return o == null ? F.nullNode() : F.textNode(o.toString());
    }

    static Iterator<Map.Entry<String, JsonNode>> fields(JsonNode n) {
        return n.fields();
    }
}

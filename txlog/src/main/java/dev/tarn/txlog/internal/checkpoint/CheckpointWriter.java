package dev.tarn.txlog.internal.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.storage.fs.FileIO;
import dev.tarn.storage.fs.OutputFile;
import dev.tarn.storage.fs.PositionOutputStream;
import dev.tarn.storage.parquet.ArrowParquetWriter;
import dev.tarn.storage.parquet.ParquetWriteOptions;
import dev.tarn.txlog.action.Action;
import dev.tarn.txlog.internal.json.ActionJson;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.MapVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Writes a single-file Parquet checkpoint (PROTOCOL.md "Checkpoints", "Classic checkpoint", "Checkpoint Schema"):
 * one row per action, each action in its own struct column. The file is assembled in memory and published with
 * put-if-absent, so no reader ever sees a partial checkpoint.
 */
public final class CheckpointWriter {
    private static final int BATCH_ROWS = 4096;

    private CheckpointWriter() {}

    /**
     * Writes {@code actions} to {@code location}; returns the file size, or -1 when a checkpoint already existed
     * there (another writer made it; checkpoints of one version hold the same state).
     */
    public static long write(FileIO io, String location, Schema schema, List<Action> actions) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        OutputFile memory = new OutputFile() {
            @Override
            public String location() {
                return location;
            }

            @Override
            public PositionOutputStream create() {
                return new PositionOutputStream() {
                    @Override
                    public long position() {
                        return buffer.size();
                    }

                    @Override
                    public void write(int b) {
                        buffer.write(b);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) {
                        buffer.write(b, off, len);
                    }
                };
            }
        };
        try (BufferAllocator allocator = new RootAllocator();
             ArrowParquetWriter writer = ArrowParquetWriter.create(memory, schema, ParquetWriteOptions.defaults())) {
            for (int start = 0; start < actions.size(); start += BATCH_ROWS) {
                int end = Math.min(actions.size(), start + BATCH_ROWS);
                try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
                    root.allocateNew();
                    for (int row = 0; row < end - start; row++) {
                        Action a = actions.get(start + row);
                        for (FieldVector column : root.getFieldVectors()) {
                            if (column.getName().equals(a.actionName())) {
                                set(column, row, ActionJson.toNode(a));
                            } else {
                                setNull(column, row);
                            }
                        }
                    }
                    root.setRowCount(end - start);
                    writer.write(root);
                }
            }
            writer.finish();
        }
        byte[] bytes = buffer.toByteArray();
        if (!io.createExclusive(location, bytes)) {
            return -1;
        }
        return bytes.length;
    }

    private static void setNull(ValueVector v, int i) {
        if (v instanceof BaseFixedWidthVector f) {
            f.setNull(i);
        } else if (v instanceof VarCharVector s) {
            s.setNull(i);
        } else if (v instanceof StructVector s) {
            s.setNull(i);
        } else if (v instanceof ListVector l) {
            l.setNull(i);
        } else {
            throw new IllegalStateException("Unexpected checkpoint vector " + v.getClass());
        }
    }

    /** Writes one JSON value into a vector of the checkpoint schema. */
    static void set(ValueVector v, int i, JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            setNull(v, i);
            return;
        }
        if (v instanceof VarCharVector s) {
            s.setSafe(i, (n.isTextual() ? n.asText() : n.toString()).getBytes(StandardCharsets.UTF_8));
        } else if (v instanceof BigIntVector b) {
            b.setSafe(i, n.asLong());
        } else if (v instanceof IntVector b) {
            b.setSafe(i, n.asInt());
        } else if (v instanceof BitVector b) {
            b.setSafe(i, n.asBoolean() ? 1 : 0);
        } else if (v instanceof StructVector s) {
            s.setIndexDefined(i);
            for (String name : s.getChildFieldNames()) {
                set(s.getChild(name), i, n.get(name));
            }
        } else if (v instanceof MapVector m) {
            StructVector entries = (StructVector) m.getDataVector();
            int offset = m.startNewValue(i);
            int count = 0;
            Iterator<Map.Entry<String, JsonNode>> it = n.properties().iterator();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                entries.setIndexDefined(offset + count);
                ((VarCharVector) entries.getChild(MapVector.KEY_NAME)).setSafe(offset + count,
                        e.getKey().getBytes(StandardCharsets.UTF_8));
                set(entries.getChild(MapVector.VALUE_NAME), offset + count, e.getValue());
                count++;
            }
            m.endValue(i, count);
        } else if (v instanceof ListVector l) {
            int offset = l.startNewValue(i);
            int count = 0;
            for (JsonNode element : n) {
                set(l.getDataVector(), offset + count, element);
                count++;
            }
            l.endValue(i, count);
        } else {
            throw new TarnException(ErrorCode.INTERNAL_ERROR, "Unexpected checkpoint vector " + v.getClass());
        }
    }
}

package dev.tarn.txlog.internal.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.storage.fs.FileIO;
import dev.tarn.storage.parquet.ArrowParquetReader;
import dev.tarn.storage.parquet.ColumnStatistics;
import dev.tarn.storage.parquet.ParquetFileInfo;
import dev.tarn.storage.parquet.RowGroupInfo;
import dev.tarn.storage.parquet.ParquetReadRequest;
import dev.tarn.txlog.action.Action;
import dev.tarn.txlog.internal.json.ActionJson;
import dev.tarn.txlog.internal.replay.AddColumns;
import dev.tarn.txlog.internal.json.StatsFormat;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.MapVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Reads actions from Parquet checkpoint files and sidecars (PROTOCOL.md "Checkpoint Schema"). Well-formed add and
 * remove rows, nearly all rows of a checkpoint, are decoded straight from the Arrow vectors
 * ({@link FileActionColumns}); every other non-null action column of a row, and any add or remove row the direct
 * decoder declines, becomes a JSON object and goes through the same parser as commit lines, so malformed rows get
 * the same validation and messages in both forms.
 */
public final class ParquetCheckpoints {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final int BATCH_ROWS = 8192;
    private static final String STATS_PARSED = "stats_parsed";
    private static final long PRUNE_MIN_ROWS = 10 * BATCH_ROWS;


    private ParquetCheckpoints() {}

    public static void readActions(FileIO io, String location, Consumer<Action> sink) {
        readActions(io, location, sink, null);
    }

    /**
     * Like {@link #readActions(FileIO, String, Consumer)}, but each well-formed add row is appended to {@code adds}
     * by column, its path and stats copied as bytes, instead of becoming a record for the sink (when {@code adds}
     * is not null). A checkpoint holds one add row per live file, so this is where loading a large table spends.
     */
    public static void readActions(FileIO io, String location, Consumer<Action> sink, AddColumns.Builder adds) {
        try (BufferAllocator allocator = new RootAllocator()) {
            ArrowParquetReader reader = open(io, location, CheckpointSchema.readSchema(), allocator);
            try {
                Schema needed = neededSchema(reader.fileInfo());
                if (needed != null) {
                    // Only checkpoints that carry add.stats_parsed or lack some action need the second open.
                    reader.close();
                    reader = open(io, location, needed, allocator);
                }
                long row = 0;
                VectorSchemaRoot batch;
                while ((batch = reader.next()) != null) {
                    List<FieldVector> columns = batch.getFieldVectors();
                    // add and remove rows (one per file) are decoded directly; the rest goes through JSON.
                    FileActionColumns[] direct = new FileActionColumns[columns.size()];
                    boolean[] isAdd = new boolean[columns.size()];
                    for (int c = 0; c < direct.length; c++) {
                        String name = columns.get(c).getName();
                        isAdd[c] = name.equals("add");
                        if (isAdd[c] || name.equals("remove")) {
                            direct[c] = FileActionColumns.of(columns.get(c));
                        }
                    }
                    // A column null in every row of the batch (each action but add, in the file rows that make up
                    // nearly all of a checkpoint) is left out of the row loop instead of being asked row by row.
                    int rows = batch.getRowCount();
                    int[] live = new int[direct.length];
                    int liveCount = 0;
                    for (int c = 0; c < direct.length; c++) {
                        if (columns.get(c).getNullCount() < rows) {
                            live[liveCount++] = c;
                        }
                    }
                    for (int i = 0; i < rows; i++, row++) {
                        for (int l = 0; l < liveCount; l++) {
                            int c = live[l];
                            FieldVector column = columns.get(c);
                            if (column.isNull(i)) {
                                continue;
                            }
                            Action a = null;
                            if (direct[c] != null) {
                                try {
                                    if (isAdd[c] && adds != null) {
                                        if (direct[c].appendAdd(i, adds)) {
                                            continue;
                                        }
                                    } else {
                                        a = isAdd[c] ? direct[c].add(i) : direct[c].remove(i);
                                    }
                                } catch (IllegalArgumentException e) {
                                    a = null; // the general route reports it with row and file
                                }
                            }
                            if (a != null) {
                                sink.accept(a);
                            } else {
                                emit(column, i, row, location, sink);
                            }
                        }
                    }
                }
            } finally {
                reader.close();
            }
        }
    }

    private static ArrowParquetReader open(FileIO io, String location, Schema schema, BufferAllocator allocator) {
        return ArrowParquetReader.open(io.newInputFile(location),
                new ParquetReadRequest(schema, false, BATCH_ROWS, g -> true), allocator);
    }

    private static void emit(FieldVector column, int i, long row, String location, Consumer<Action> sink) {
        JsonNode value = toJson(column, i);
        if (value instanceof ObjectNode o && o.has(STATS_PARSED)) {
            // Checkpoints written with writeStatsAsStruct only: rebuild the JSON stats from the struct.
            JsonNode parsed = o.remove(STATS_PARSED);
            if (!o.hasNonNull("stats") && parsed != null && parsed.isObject()) {
                o.put("stats", parsed.toString());
            }
        }
        ObjectNode wrapper = F.objectNode();
        wrapper.set(column.getName(), value);
        Action a;
        try {
            a = ActionJson.parseAction(wrapper);
        } catch (RuntimeException e) {
            throw new TarnException(ErrorCode.CORRUPT_LOG, "Malformed " + column.getName() + " action in checkpoint file "
                    + location + " row " + row + ": " + e.getMessage(), e);
        }
        if (a != null) {
            sink.accept(a);
        }
    }

    /**
     * A field every valid action of a column has (PROTOCOL.md "Actions"): when it is null in every row, no row holds
     * that action, so the column need not be decoded. A checkpoint holds one row per file, and decoding the map and
     * list fields of an action column for every row costs even where they are all null.
     */
    private static final Map<String, String> REQUIRED_FIELD = Map.of("txn", "appId", "add", "path", "remove", "path",
            "metaData", "id", "protocol", "minReaderVersion", "domainMetadata", "domain", "checkpointMetadata",
            "version", "sidecar", "path");

    /**
     * The checkpoint columns worth reading from this file, with {@code add.stats_parsed} added exactly as the file
     * types it when present (PROTOCOL.md "Checkpoint Schema": its fields follow the table schema, so they cannot be
     * fixed in advance), or null when that is the full read schema. Left out are action columns the file lacks and
     * those whose required field the row-group statistics show null in every row.
     */
    private static Schema neededSchema(ParquetFileInfo info) {
        Schema fileSchema = info.fileSchema();
        Field fileAdd = fileSchema.getFields().stream().filter(f -> f.getName().equals("add")).findFirst().orElse(null);
        Field statsParsed = fileAdd == null ? null : fileAdd.getChildren().stream()
                .filter(f -> f.getName().equals(STATS_PARSED)).findFirst().orElse(null);
        boolean changed = statsParsed != null;
        // Leaving columns out needs a second open of the file (one more footer read): worth it for large files only.
        boolean prune = info.totalRows() >= PRUNE_MIN_ROWS;
        List<Field> fields = new ArrayList<>();
        for (Field f : CheckpointSchema.readSchema().getFields()) {
            boolean inFile = fileSchema.getFields().stream().anyMatch(x -> x.getName().equals(f.getName()));
            if (prune && (!inFile || allNull(info, f.getName()))) {
                changed = true;
            } else if (f.getName().equals("add") && statsParsed != null) {
                List<Field> children = new ArrayList<>(f.getChildren());
                children.add(statsParsed);
                fields.add(new Field("add", f.getFieldType(), children));
            } else {
                fields.add(f);
            }
        }
        return changed ? new Schema(fields) : null;
    }

    /** True when statistics show the action's required field null in every row of every row group. */
    private static boolean allNull(ParquetFileInfo info, String action) {
        String required = REQUIRED_FIELD.get(action);
        if (required == null) {
            return false;
        }
        List<String> path = List.of(action, required);
        for (RowGroupInfo g : info.rowGroups()) {
            ColumnStatistics c = g.column(path).orElse(null);
            if (c == null || c.nullCount() < 0 || c.nullCount() != g.rowCount()) {
                return false;
            }
        }
        return true;
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
        if (v instanceof DecimalVector d) {
            return F.numberNode(d.getObject(i));
        }
        if (v instanceof DateDayVector d) {
            return F.textNode(LocalDate.ofEpochDay(d.get(i)).toString());
        }
        if (v instanceof TimeStampVector t) {
            long value = t.get(i);
            ArrowType.Timestamp type = (ArrowType.Timestamp) t.getField().getType();
            long micros = switch (type.getUnit()) {
                case SECOND -> value * 1_000_000;
                case MILLISECOND -> value * 1_000;
                case MICROSECOND -> value;
                case NANOSECOND -> Math.floorDiv(value, 1_000);
            };
            Instant instant = Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
            return type.getTimezone() == null
                    ? F.textNode(StatsFormat.timestampNtz(LocalDateTime.ofInstant(instant, ZoneOffset.UTC)))
                    : F.textNode(StatsFormat.timestamp(instant));
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
}

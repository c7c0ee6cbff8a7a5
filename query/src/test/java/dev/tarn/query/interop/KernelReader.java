package dev.tarn.query.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.data.ArrayValue;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.MapValue;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.types.ArrayType;
import io.delta.kernel.types.BinaryType;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.ByteType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DecimalType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.FloatType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.MapType;
import io.delta.kernel.types.ShortType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampNTZType;
import io.delta.kernel.types.TimestampType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * Reads a Delta table with delta-kernel's default engine, the way a kernel-based connector does: snapshot, scan
 * files, each file through the engine's Parquet handler, then kernel's own transformation (partition values,
 * column mapping, deletion vectors as selection vectors). Rows come out in the value encoding of the conformance
 * files, as {@code dev.tarn.testdata.ExpectedRowEncoder} writes Tarn's rows, so the two compare directly.
 */
final class KernelReader {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");

    private final Engine engine = DefaultEngine.create(new Configuration());

    /** The table's latest version as kernel sees it. */
    long version(String path) {
        return Table.forPath(engine, path).getLatestSnapshot(engine).getVersion(engine);
    }

    /** Column names of the latest snapshot's schema. */
    List<String> columns(String path) {
        return Table.forPath(engine, path).getLatestSnapshot(engine).getSchema(engine).fieldNames();
    }

    /** Every live row of the latest version. */
    List<JsonNode> rows(String path) {
        Snapshot snapshot = Table.forPath(engine, path).getLatestSnapshot(engine);
        Scan scan = snapshot.getScanBuilder(engine).build();
        Row scanState = scan.getScanState(engine);
        StructType physicalSchema = ScanStateRow.getPhysicalDataReadSchema(engine, scanState);
        List<JsonNode> rows = new ArrayList<>();
        try (CloseableIterator<FilteredColumnarBatch> files = scan.getScanFiles(engine)) {
            while (files.hasNext()) {
                try (CloseableIterator<Row> fileRows = files.next().getRows()) {
                    while (fileRows.hasNext()) {
                        Row scanFile = fileRows.next();
                        FileStatus status = InternalScanFileUtils.getAddFileStatus(scanFile);
                        CloseableIterator<ColumnarBatch> physical = engine.getParquetHandler().readParquetFiles(
                                singleton(status), physicalSchema, Optional.empty());
                        try (CloseableIterator<FilteredColumnarBatch> data =
                                     Scan.transformPhysicalData(engine, scanState, scanFile, physical)) {
                            while (data.hasNext()) {
                                addRows(data.next(), rows);
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    private static void addRows(FilteredColumnarBatch batch, List<JsonNode> out) {
        ColumnarBatch data = batch.getData();
        Optional<ColumnVector> selection = batch.getSelectionVector();
        StructType schema = data.getSchema();
        for (int r = 0; r < data.getSize(); r++) {
            if (selection.isPresent() && (selection.get().isNullAt(r) || !selection.get().getBoolean(r))) {
                continue;
            }
            ArrayNode row = F.arrayNode();
            for (int c = 0; c < schema.length(); c++) {
                row.add(value(data.getColumnVector(c), r, schema.at(c).getDataType()));
            }
            out.add(row);
        }
    }

    private static JsonNode value(ColumnVector v, int i, DataType type) {
        if (v.isNullAt(i)) {
            return F.nullNode();
        }
        if (type instanceof BooleanType) {
            return F.booleanNode(v.getBoolean(i));
        }
        if (type instanceof ByteType) {
            return F.numberNode(v.getByte(i));
        }
        if (type instanceof ShortType) {
            return F.numberNode(v.getShort(i));
        }
        if (type instanceof IntegerType) {
            return F.numberNode(v.getInt(i));
        }
        if (type instanceof LongType) {
            return F.numberNode(v.getLong(i));
        }
        if (type instanceof FloatType) {
            return floating(v.getFloat(i), true);
        }
        if (type instanceof DoubleType) {
            return floating(v.getDouble(i), false);
        }
        if (type instanceof DecimalType d) {
            return F.textNode(v.getDecimal(i).setScale(d.getScale()).toPlainString());
        }
        if (type instanceof StringType) {
            return F.textNode(v.getString(i));
        }
        if (type instanceof BinaryType) {
            return F.textNode(HexFormat.of().formatHex(v.getBinary(i)));
        }
        if (type instanceof DateType) {
            return F.textNode(LocalDate.ofEpochDay(v.getInt(i)).toString());
        }
        if (type instanceof TimestampType) {
            long micros = v.getLong(i);
            Instant inst = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                    Math.floorMod(micros, 1_000_000L) * 1000L);
            return F.textNode(MICROS.format(LocalDateTime.ofInstant(inst, ZoneOffset.UTC)) + "Z");
        }
        if (type instanceof TimestampNTZType) {
            long micros = v.getLong(i);
            return F.textNode(MICROS.format(LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                    (int) Math.floorMod(micros, 1_000_000L) * 1000, ZoneOffset.UTC)));
        }
        if (type instanceof ArrayType a) {
            ArrayValue array = v.getArray(i);
            ArrayNode out = F.arrayNode();
            for (int k = 0; k < array.getSize(); k++) {
                out.add(value(array.getElements(), k, a.getElementType()));
            }
            return out;
        }
        if (type instanceof MapType m) {
            MapValue map = v.getMap(i);
            List<ArrayNode> pairs = new ArrayList<>();
            for (int k = 0; k < map.getSize(); k++) {
                ArrayNode pair = F.arrayNode();
                pair.add(value(map.getKeys(), k, m.getKeyType()));
                pair.add(value(map.getValues(), k, m.getValueType()));
                pairs.add(pair);
            }
            pairs.sort((x, y) -> x.get(0).toString().compareTo(y.get(0).toString()));
            ArrayNode out = F.arrayNode();
            pairs.forEach(out::add);
            return out;
        }
        if (type instanceof StructType s) {
            ObjectNode out = F.objectNode();
            for (int c = 0; c < s.length(); c++) {
                StructField f = s.at(c);
                out.set(f.getName(), value(v.getChild(c), i, f.getDataType()));
            }
            return out;
        }
        throw new AssertionError("no encoding for kernel type " + type);
    }

    private static JsonNode floating(double d, boolean single) {
        if (Double.isNaN(d)) {
            return F.textNode("NaN");
        }
        if (Double.isInfinite(d)) {
            return F.textNode(d > 0 ? "Infinity" : "-Infinity");
        }
        return F.numberNode(new BigDecimal(single ? Float.toString((float) d) : Double.toString(d)));
    }

    private static CloseableIterator<FileStatus> singleton(FileStatus status) {
        return new CloseableIterator<>() {
            private boolean done;

            @Override
            public boolean hasNext() {
                return !done;
            }

            @Override
            public FileStatus next() {
                if (done) {
                    throw new java.util.NoSuchElementException();
                }
                done = true;
                return status;
            }

            @Override
            public void close() {
            }
        };
    }
}

package dev.tarn.query.internal;

import static java.util.Objects.requireNonNull;

import dev.tarn.storage.fs.InputFile;
import dev.tarn.storage.fs.OutputFile;
import dev.tarn.storage.fs.PositionOutputStream;
import dev.tarn.storage.fs.SeekableInputStream;
import dev.tarn.storage.parquet.ArrowParquetReader;
import dev.tarn.storage.parquet.ArrowParquetWriter;
import dev.tarn.storage.parquet.ParquetReadRequest;
import dev.tarn.storage.parquet.ParquetWriteOptions;
import dev.tarn.txlog.types.ArrowTypes;
import dev.tarn.txlog.types.DecimalType;
import dev.tarn.txlog.types.PrimitiveType;
import dev.tarn.txlog.types.StructField;
import dev.tarn.txlog.types.StructType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.memory.unsafe.UnsafeAllocationManager;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The storage part of the start-up warm-up ({@link EngineWarmup}): writes a small ZSTD Parquet file of common
 * column types into memory and reads it back. In a cold JVM that loads and initializes what a first INSERT and the
 * first scan need: Arrow's schema class (its static initializer builds a Jackson object mapper, 0.1 to 0.2 s by
 * itself), Arrow vectors, Parquet's column writers, footer and readers, and the ZSTD native library. Touches no lake
 * and no file: the Parquet file lives in a byte array.
 */
final class StorageWarmup {
    private static final int ROWS = 3;

    private StorageWarmup() {}

    static void run() {
        StructType table = new StructType(List.of(
                new StructField("i", PrimitiveType.INTEGER, true),
                new StructField("l", PrimitiveType.LONG, true),
                new StructField("d", PrimitiveType.DOUBLE, true),
                new StructField("s", PrimitiveType.STRING, true),
                new StructField("b", PrimitiveType.BOOLEAN, true),
                new StructField("day", PrimitiveType.DATE, true),
                new StructField("ts", PrimitiveType.TIMESTAMP, true),
                new StructField("dec", new DecimalType(10, 2), true)));
        Schema schema = ArrowTypes.toPhysicalArrowSchema(table);
        MemoryFile file = new MemoryFile("memory:/tarn-warmup.parquet");
        try (BufferAllocator allocator = new RootAllocator(RootAllocator.configBuilder()
                .allocationManagerFactory(UnsafeAllocationManager.FACTORY).build())) {
            try (VectorSchemaRoot batch = VectorSchemaRoot.create(schema, allocator);
                 ArrowParquetWriter writer = ArrowParquetWriter.create(file, schema, ParquetWriteOptions.defaults())) {
                batch.allocateNew();
                for (FieldVector v : batch.getFieldVectors()) {
                    fill(v);
                }
                batch.setRowCount(ROWS);
                writer.write(batch);
                writer.finish();
            }
            try (ArrowParquetReader reader = ArrowParquetReader.open(file, ParquetReadRequest.of(schema, false),
                    allocator)) {
                while (reader.next() != null) {
                    // Decoding the pages is the point; the rows are known.
                }
            }
        }
    }

    /** Rows 0..2 with the last one null, so dictionaries, statistics and definition levels all take part. */
    private static void fill(FieldVector vector) {
        for (int row = 0; row < ROWS - 1; row++) {
            if (vector instanceof IntVector v) {
                v.setSafe(row, row);
            } else if (vector instanceof BigIntVector v) {
                v.setSafe(row, row * 1_000_000_007L);
            } else if (vector instanceof Float8Vector v) {
                v.setSafe(row, row + 0.5);
            } else if (vector instanceof VarCharVector v) {
                v.setSafe(row, ("value " + row).getBytes(StandardCharsets.UTF_8));
            } else if (vector instanceof BitVector v) {
                v.setSafe(row, row % 2);
            } else if (vector instanceof DateDayVector v) {
                v.setSafe(row, 19_000 + row);
            } else if (vector instanceof TimeStampVector v) {
                v.setSafe(row, 1_700_000_000_000_000L + row);
            } else if (vector instanceof DecimalVector v) {
                v.setSafe(row, BigDecimal.valueOf(row * 100 + 25, 2));
            }
        }
        if (vector instanceof BaseFixedWidthVector v) {
            v.setNull(ROWS - 1);
        } else if (vector instanceof VarCharVector v) {
            v.setNull(ROWS - 1);
        }
        vector.setValueCount(ROWS);
    }

    /** A file in a byte array: written once through {@link #create}, then read. */
    private static final class MemoryFile implements OutputFile, InputFile {
        private final String location;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        MemoryFile(String location) {
            this.location = requireNonNull(location, "location is null");
        }

        @Override
        public String location() {
            return location;
        }

        @Override
        public PositionOutputStream create() {
            bytes.reset();
            return new PositionOutputStream() {
                @Override
                public long position() {
                    return bytes.size();
                }

                @Override
                public void write(int b) {
                    bytes.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    bytes.write(b, off, len);
                }
            };
        }

        @Override
        public long length() {
            return bytes.size();
        }

        @Override
        public SeekableInputStream newStream() {
            byte[] data = bytes.toByteArray();
            return new SeekableInputStream() {
                private int position;

                @Override
                public long position() {
                    return position;
                }

                @Override
                public void seek(long newPosition) throws IOException {
                    if (newPosition < 0 || newPosition > data.length) {
                        throw new IOException("Seek to " + newPosition + " outside " + location + " of "
                                + data.length + " bytes");
                    }
                    position = (int) newPosition;
                }

                @Override
                public int read() {
                    return position < data.length ? data[position++] & 0xff : -1;
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    if (len == 0) {
                        return 0;
                    }
                    if (position >= data.length) {
                        return -1;
                    }
                    int n = Math.min(len, data.length - position);
                    System.arraycopy(data, position, b, off, n);
                    position += n;
                    return n;
                }
            };
        }
    }
}

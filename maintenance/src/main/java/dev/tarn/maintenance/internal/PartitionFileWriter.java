package dev.tarn.maintenance.internal;

import static java.util.Objects.requireNonNull;

import dev.tarn.storage.fs.FileIO;
import dev.tarn.storage.parquet.ArrowParquetWriter;
import dev.tarn.storage.parquet.DataFileStatistics;
import dev.tarn.storage.parquet.ParquetWriteOptions;
import dev.tarn.txlog.PartitionPaths;
import dev.tarn.txlog.StatsJson;
import dev.tarn.txlog.action.AddFile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Writes rewritten rows of one partition into new data files laid out as delta-spark does (Hive-style partition
 * directory, {@code part-NNNNN-<uuid>.c000.zstd.parquet}), each with statistics (PROTOCOL.md "Per-file
 * Statistics"). A file is rolled when its estimated on-disk size (Arrow bytes times a compression ratio: first the
 * one seen on the input, then the one of the previous output file) reaches the roll size. Files are opened lazily, so no rows means no file. Nothing is committed here;
 * {@link #close()} before {@link #finish()} deletes every file written.
 */
public final class PartitionFileWriter implements AutoCloseable {
    private final FileIO io;
    private final String root;
    private final DataLayout layout;
    private final Map<String, String> partitionValues;
    private final String directory;
    private final long rollBytes;
    private double compressionRatio;
    private final String writeId;
    private final AtomicInteger counter;
    private final List<AddFile> adds = new ArrayList<>();
    private final List<String> locations = new ArrayList<>();
    private ArrowParquetWriter current;
    private String currentRelative;
    private long currentArrowBytes;
    private boolean finished;

    /**
     * @param partitionValues the add action's partition values (physical keys), in the table's partition order
     * @param partitionKeys the physical names of the partition columns, in order
     * @param rollBytes estimated file size at which to start a new file ({@link Long#MAX_VALUE}: one file)
     * @param compressionRatio on-disk bytes per Arrow byte, to estimate file sizes
     */
    public PartitionFileWriter(FileIO io, String tableLocation, DataLayout layout, Map<String, String> partitionValues,
                               List<String> partitionKeys, long rollBytes, double compressionRatio, String writeId,
                               AtomicInteger counter) {
        this.io = requireNonNull(io, "io is null");
        this.root = TablePaths.plainRoot(requireNonNull(tableLocation, "tableLocation is null"));
        this.layout = requireNonNull(layout, "layout is null");
        this.partitionValues = new LinkedHashMap<>(requireNonNull(partitionValues, "partitionValues is null"));
        this.directory = PartitionPaths.directoryFor(partitionKeys, partitionValues);
        if (rollBytes <= 0) {
            throw new IllegalArgumentException("rollBytes must be positive: " + rollBytes);
        }
        this.rollBytes = rollBytes;
        this.compressionRatio = compressionRatio > 0 ? compressionRatio : 1.0;
        this.writeId = requireNonNull(writeId, "writeId is null");
        this.counter = requireNonNull(counter, "counter is null");
    }

    /** Appends a batch in {@link DataLayout#physicalSchema()}. */
    public void write(VectorSchemaRoot batch) {
        if (batch.getRowCount() == 0) {
            return;
        }
        if (current == null) {
            currentRelative = directory + String.format("part-%05d-%s.c000.zstd.parquet", counter.getAndIncrement(), writeId);
            String location = root + "/" + currentRelative;
            locations.add(location);
            long rowGroup = Math.max(1L << 20, Math.min(rollBytes, 128L << 20));
            ParquetWriteOptions options = ParquetWriteOptions.defaults()
                    .withMaxStatsLeafColumns(Math.min(layout.numIndexedCols(), 10_000))
                    .withRowGroupSizeBytes(rowGroup);
            current = ArrowParquetWriter.create(io.newOutputFile(location), layout.physicalSchema(), options);
            currentArrowBytes = 0;
        }
        current.write(batch);
        currentArrowBytes += Batches.bytes(batch);
        if (rollBytes != Long.MAX_VALUE && currentArrowBytes * compressionRatio >= rollBytes) {
            finishCurrent();
        }
    }

    private void finishCurrent() {
        DataFileStatistics stats = current.finish();
        current = null;
        if (currentArrowBytes > 0) {
            // Later files of the same data compress alike: roll them by what this one actually took on disk.
            compressionRatio = (double) stats.fileSizeBytes() / currentArrowBytes;
        }
        String statsJson = StatsJson.of(layout.dataSchema(), stats, layout.numIndexedCols());
        adds.add(AddFile.create(PartitionPaths.toLogPath(currentRelative), partitionValues, stats.fileSizeBytes(),
                System.currentTimeMillis(), false, statsJson));
    }

    /** Completes the open file and returns the add actions (dataChange = false) of every file written. */
    public List<AddFile> finish() {
        if (current != null) {
            finishCurrent();
        }
        finished = true;
        return List.copyOf(adds);
    }

    /** Every file location written, for cleanup after a failed commit. */
    public List<String> locations() {
        return List.copyOf(locations);
    }

    @Override
    public void close() {
        if (finished) {
            return;
        }
        if (current != null) {
            try {
                current.close();
            } catch (RuntimeException e) {
                // deleted below; the original failure is what matters
            }
            current = null;
        }
        deleteQuietly(io, locations);
    }

    /** Deletes files written by a rewrite that will not be committed. */
    public static void deleteQuietly(FileIO io, List<String> locations) {
        for (String l : locations) {
            try {
                io.delete(l);
            } catch (RuntimeException e) {
                // an orphan data file is harmless: VACUUM removes it later
            }
        }
    }
}

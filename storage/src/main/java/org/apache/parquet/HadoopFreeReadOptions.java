package org.apache.parquet;

import java.util.Map;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.format.converter.ParquetMetadataConverter;

/**
 * Tarn-owned bridge (not part of parquet-java): builds {@link ParquetReadOptions} without Hadoop.
 *
 * <p>Why this class lives in parquet's package: in parquet-java 1.18.1 every public way to obtain read options
 * ({@code ParquetReadOptions.builder(...)}, {@code new Builder(conf)}) constructs a Hadoop codec factory in the
 * builder's constructor, which fails with NoClassDefFoundError when Hadoop is absent; the only constructor that
 * takes a codec factory directly is package-private. Keeping the call here makes the compiler check the signature
 * against the pinned parquet version instead of reflection failing at runtime.
 */
public final class HadoopFreeReadOptions {
    private static final int MAX_ALLOCATION_BYTES = 8 * 1024 * 1024;

    private HadoopFreeReadOptions() {}

    /** Options with every filter off (Tarn prunes row groups itself) and the given codec factory. */
    public static ParquetReadOptions create(CompressionCodecFactory codecs) {
        return new ParquetReadOptions(
                false, // useSignedStringMinMax
                false, // useStatsFilter
                false, // useDictionaryFilter
                false, // useRecordFilter
                false, // useColumnIndexFilter
                false, // usePageChecksumVerification
                false, // useBloomFilter
                false, // useOffHeapDecryptBuffer
                false, // useHadoopVectoredIo
                null, // recordFilter
                ParquetMetadataConverter.NO_FILTER,
                codecs,
                new HeapByteBufferAllocator(),
                MAX_ALLOCATION_BYTES,
                Map.of(),
                null, // fileDecryptionProperties
                null, // metricsCallback
                new PlainParquetConfiguration());
    }
}

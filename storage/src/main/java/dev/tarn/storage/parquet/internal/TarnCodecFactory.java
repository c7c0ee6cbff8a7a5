package dev.tarn.storage.parquet.internal;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import io.airlift.compress.Compressor;
import io.airlift.compress.Decompressor;
import io.airlift.compress.lz4.Lz4Compressor;
import io.airlift.compress.lz4.Lz4Decompressor;
import io.airlift.compress.snappy.SnappyCompressor;
import io.airlift.compress.snappy.SnappyDecompressor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Page compression without Hadoop. parquet-java's stock factory instantiates Hadoop codec classes, so Tarn supplies
 * its own: ZSTD through zstd-jni, SNAPPY and LZ4_RAW through aircompressor's pure-Java block codecs, GZIP through
 * java.util.zip. Every codec here works on whole pages, which is what Parquet stores.
 */
public final class TarnCodecFactory implements CompressionCodecFactory {
    private final int zstdLevel;
    private final Map<CompressionCodecName, PageDecompressor> decompressors = new EnumMap<>(CompressionCodecName.class);

    public TarnCodecFactory(int zstdLevel) {
        this.zstdLevel = zstdLevel;
    }

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codecName) {
        return new PageCompressor(checkSupported(codecName), zstdLevel);
    }

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codecName, int level) {
        return new PageCompressor(checkSupported(codecName), level);
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codecName) {
        CompressionCodecName codec = checkSupported(codecName);
        synchronized (decompressors) {
            // One per codec, as parquet-java's own factory does: a reader asks for one per column chunk.
            return decompressors.computeIfAbsent(codec, PageDecompressor::new);
        }
    }

    private static CompressionCodecName checkSupported(CompressionCodecName codec) {
        return switch (codec) {
            case UNCOMPRESSED, SNAPPY, GZIP, ZSTD, LZ4_RAW -> codec;
            default -> throw new TarnException(ErrorCode.UNSUPPORTED_FEATURE, "Parquet compression codec " + codec
                    + " is not supported by Tarn (supported: UNCOMPRESSED, SNAPPY, GZIP, ZSTD, LZ4_RAW)");
        };
    }

    /** Frees the native ZSTD contexts of every decompressor handed out (parquet-java calls this on close). */
    @Override
    public void release() {
        synchronized (decompressors) {
            decompressors.values().forEach(PageDecompressor::release);
            decompressors.clear();
        }
    }

    private static IOException unsupported(CompressionCodecName codec) {
        return new IOException("Parquet compression codec " + codec + " is not supported by Tarn"
                + " (supported: UNCOMPRESSED, SNAPPY, GZIP, ZSTD, LZ4_RAW)");
    }

    private static final class PageCompressor implements BytesInputCompressor {
        private final CompressionCodecName codec;
        private final int level;

        PageCompressor(CompressionCodecName codec, int level) {
            this.codec = codec;
            this.level = level;
        }

        @Override
        public BytesInput compress(BytesInput bytes) throws IOException {
            byte[] input = bytes.toByteArray();
            return switch (codec) {
                case UNCOMPRESSED -> BytesInput.from(input);
                case ZSTD -> BytesInput.from(Zstd.compress(input, level));
                case SNAPPY -> BytesInput.from(airCompress(new SnappyCompressor(), input));
                case LZ4_RAW -> BytesInput.from(airCompress(new Lz4Compressor(), input));
                case GZIP -> {
                    ByteArrayOutputStream out = new ByteArrayOutputStream(input.length / 2 + 64);
                    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                        gz.write(input);
                    }
                    yield BytesInput.from(out.toByteArray());
                }
                default -> throw unsupported(codec);
            };
        }

        private static byte[] airCompress(Compressor compressor, byte[] input) {
            byte[] out = new byte[compressor.maxCompressedLength(input.length)];
            int n = compressor.compress(input, 0, input.length, out, 0, out.length);
            return java.util.Arrays.copyOf(out, n);
        }

        @Override
        public CompressionCodecName getCodecName() {
            return codec;
        }

        @Override
        public void release() {}
    }

    private static final class PageDecompressor implements BytesInputDecompressor {
        private final CompressionCodecName codec;
        /** Reused across pages: creating a context per page costs as much as decompressing a small page. */
        private ZstdDecompressCtx zstd;

        PageDecompressor(CompressionCodecName codec) {
            this.codec = codec;
        }

        @Override
        public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
            if (codec == CompressionCodecName.UNCOMPRESSED) {
                return bytes;
            }
            ByteBuffer in = bytes.toByteBuffer();
            if (in.hasArray()) {
                // Decompress from the chunk's heap buffer in place instead of copying the compressed page first.
                return BytesInput.from(decompress(in.array(), in.arrayOffset() + in.position(), in.remaining(),
                        uncompressedSize));
            }
            byte[] input = bytes.toByteArray();
            return BytesInput.from(decompress(input, 0, input.length, uncompressedSize));
        }

        private synchronized byte[] decompress(byte[] input, int offset, int length, int uncompressedSize) throws IOException {
            byte[] out = new byte[uncompressedSize];
            int n;
            switch (codec) {
                case UNCOMPRESSED -> {
                    System.arraycopy(input, offset, out, 0, Math.min(length, uncompressedSize));
                    n = length;
                }
                case ZSTD -> {
                    if (zstd == null) {
                        zstd = ZstdContexts.take();
                    }
                    try {
                        n = zstd.decompressByteArray(out, 0, uncompressedSize, input, offset, length);
                    } catch (ZstdException e) {
                        throw new IOException("ZSTD page does not decompress: " + e.getMessage(), e);
                    }
                }
                case SNAPPY -> n = airDecompress(new SnappyDecompressor(), input, offset, length, out);
                case LZ4_RAW -> n = airDecompress(new Lz4Decompressor(), input, offset, length, out);
                case GZIP -> {
                    try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(input, offset, length))) {
                        n = in.readNBytes(out, 0, uncompressedSize);
                    }
                }
                default -> throw unsupported(codec);
            }
            if (n != uncompressedSize) {
                throw new IOException(codec + " page decompressed to " + n + " bytes, header says " + uncompressedSize);
            }
            return out;
        }

        private static int airDecompress(Decompressor d, byte[] input, int offset, int length, byte[] out)
                throws IOException {
            try {
                return d.decompress(input, offset, length, out, 0, out.length);
            } catch (RuntimeException e) {
                throw new IOException("Corrupt compressed page: " + e.getMessage(), e);
            }
        }

        @Override
        public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize)
                throws IOException {
            byte[] in = new byte[compressedSize];
            input.duplicate().get(in, 0, compressedSize);
            byte[] out = decompress(in, 0, compressedSize, uncompressedSize);
            output.put(out, 0, uncompressedSize);
        }

        @Override
        public synchronized void release() {
            if (zstd != null) {
                ZstdContexts.give(zstd);
                zstd = null;
            }
        }
    }

    /**
     * Released ZSTD decompression contexts kept for the next reader: every file (and every part of a file a
     * parallel scan reads) opens its own reader, and a new native context costs about as much as a small page.
     * At most {@value #KEPT} are kept; the rest are freed.
     */
    static final class ZstdContexts {
        private static final int KEPT = 16;
        private static final java.util.ArrayDeque<ZstdDecompressCtx> FREE = new java.util.ArrayDeque<>();

        private ZstdContexts() {}

        static ZstdDecompressCtx take() {
            synchronized (FREE) {
                ZstdDecompressCtx ctx = FREE.pollLast();
                if (ctx != null) {
                    return ctx;
                }
            }
            return new ZstdDecompressCtx();
        }

        static void give(ZstdDecompressCtx ctx) {
            synchronized (FREE) {
                if (FREE.size() < KEPT) {
                    ctx.reset();
                    FREE.addLast(ctx);
                    return;
                }
            }
            ctx.close();
        }
    }
}

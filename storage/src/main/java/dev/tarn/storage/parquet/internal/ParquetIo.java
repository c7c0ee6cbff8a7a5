package dev.tarn.storage.parquet.internal;

import static java.util.Objects.requireNonNull;

import dev.tarn.storage.fs.InputFile;
import dev.tarn.storage.fs.OutputFile;
import java.io.IOException;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.io.DelegatingPositionOutputStream;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.io.SeekableInputStream;

/**
 * Adapts Tarn's {@link dev.tarn.storage.fs.FileIO} files to parquet-java's I/O interfaces and builds read options
 * that never touch Hadoop.
 */
public final class ParquetIo {
    private ParquetIo() {}

    /** Read options without Hadoop; see {@link org.apache.parquet.HadoopFreeReadOptions} for why. */
    public static ParquetReadOptions readOptions() {
        return org.apache.parquet.HadoopFreeReadOptions.create(new TarnCodecFactory(3));
    }

    public static org.apache.parquet.io.InputFile inputFile(InputFile file) {
        requireNonNull(file, "file is null");
        return new org.apache.parquet.io.InputFile() {
            private long length = -1;

            @Override
            public long getLength() {
                if (length < 0) {
                    length = file.length();
                }
                return length;
            }

            @Override
            public SeekableInputStream newStream() {
                BufferedSeekable in = new BufferedSeekable(file.newStream());
                return new DelegatingSeekableInputStream(in) {
                    @Override
                    public long getPos() {
                        return in.position;
                    }

                    @Override
                    public void seek(long newPos) {
                        in.position = newPos;
                    }
                };
            }

            @Override
            public String toString() {
                return file.location();
            }
        };
    }

    /**
     * Serves small reads from a buffer: parquet-java decodes the offset and column indexes (and reads the footer's
     * length) with many tiny reads straight from the stream, each of which would otherwise be a system call.
     * Reads of at least a buffer's size go to the file directly. Seeks only move the position.
     */
    static final class BufferedSeekable extends java.io.InputStream {
        private static final int SIZE = 8192;

        private final dev.tarn.storage.fs.SeekableInputStream in;
        private final byte[] buffer = new byte[SIZE];
        /** File position of {@code buffer[0]} and how many bytes it holds. */
        private long bufferStart;
        private int buffered;
        long position;

        BufferedSeekable(dev.tarn.storage.fs.SeekableInputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (position < bufferStart || position >= bufferStart + buffered) {
                if (len >= SIZE) {
                    seekTo(position);
                    int n = in.read(b, off, len);
                    if (n > 0) {
                        position += n;
                    }
                    return n;
                }
                seekTo(position);
                int n = in.read(buffer, 0, SIZE);
                if (n <= 0) {
                    buffered = 0;
                    return -1;
                }
                bufferStart = position;
                buffered = n;
            }
            int from = (int) (position - bufferStart);
            int n = Math.min(len, buffered - from);
            System.arraycopy(buffer, from, b, off, n);
            position += n;
            return n;
        }

        private void seekTo(long target) throws IOException {
            if (in.position() != target) {
                in.seek(target);
            }
        }

        @Override
        public long skip(long n) {
            long k = Math.max(0, n);
            position += k;
            return k;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    public static org.apache.parquet.io.OutputFile outputFile(OutputFile file) {
        requireNonNull(file, "file is null");
        return new org.apache.parquet.io.OutputFile() {
            @Override
            public PositionOutputStream create(long blockSizeHint) {
                return wrap(file.create());
            }

            @Override
            public PositionOutputStream createOrOverwrite(long blockSizeHint) {
                return wrap(file.create());
            }

            @Override
            public boolean supportsBlockSize() {
                return false;
            }

            @Override
            public long defaultBlockSize() {
                return 0;
            }

            @Override
            public String getPath() {
                return file.location();
            }
        };
    }

    private static PositionOutputStream wrap(dev.tarn.storage.fs.PositionOutputStream out) {
        return new DelegatingPositionOutputStream(out) {
            @Override
            public long getPos() throws IOException {
                return out.position();
            }
        };
    }
}

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
                dev.tarn.storage.fs.SeekableInputStream in = file.newStream();
                return new DelegatingSeekableInputStream(in) {
                    @Override
                    public long getPos() throws IOException {
                        return in.position();
                    }

                    @Override
                    public void seek(long newPos) throws IOException {
                        in.seek(newPos);
                    }
                };
            }

            @Override
            public String toString() {
                return file.location();
            }
        };
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

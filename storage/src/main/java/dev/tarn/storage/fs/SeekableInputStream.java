package dev.tarn.storage.fs;

import java.io.IOException;
import java.io.InputStream;

/** An input stream that can jump to any byte of its file. */
public abstract class SeekableInputStream extends InputStream {
    public abstract long position() throws IOException;

    public abstract void seek(long newPosition) throws IOException;

    /** Reads exactly {@code length} bytes or fails with {@link java.io.EOFException}. */
    public void readFully(byte[] buffer, int offset, int length) throws IOException {
        int done = 0;
        while (done < length) {
            int n = read(buffer, offset + done, length - done);
            if (n < 0) {
                throw new java.io.EOFException("Reached end of file after " + done + " of " + length + " bytes");
            }
            done += n;
        }
    }
}

package dev.tarn.storage.fs;

/** A readable file. */
public interface InputFile {
    String location();

    /** The file's length in bytes; {@code MISSING_FILE} when it does not exist. */
    long length();

    SeekableInputStream newStream();

    /** Reads the whole file; meant for small files (log commits, deletion vectors). */
    default byte[] readAllBytes() {
        try (SeekableInputStream in = newStream()) {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw IoErrors.wrap(location(), "read", e);
        }
    }
}

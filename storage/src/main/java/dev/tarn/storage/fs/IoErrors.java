package dev.tarn.storage.fs;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;

/** Turns I/O exceptions into Tarn errors that name the file and keep the cause. */
public final class IoErrors {
    private IoErrors() {}

    public static TarnException wrap(String location, String action, IOException e) {
        if (e instanceof NoSuchFileException || e instanceof FileNotFoundException) {
            return new TarnException(ErrorCode.MISSING_FILE, "File does not exist: " + location, e);
        }
        return new TarnException(ErrorCode.IO_ERROR, "Could not " + action + " " + location + ": " + e.getMessage(), e);
    }
}

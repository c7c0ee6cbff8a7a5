package dev.tarn.storage.fs;

/** A file to be written. */
public interface OutputFile {
    String location();

    /** Opens the file for writing, replacing anything there. */
    PositionOutputStream create();
}

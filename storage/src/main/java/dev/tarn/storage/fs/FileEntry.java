package dev.tarn.storage.fs;

import static java.util.Objects.requireNonNull;

/** One entry of a directory listing. */
public record FileEntry(String location, String name, long size, long modificationTimeMillis, boolean directory) {
    public FileEntry {
        requireNonNull(location, "location is null");
        requireNonNull(name, "name is null");
        if (size < 0) {
            throw new IllegalArgumentException("size is negative: " + size);
        }
    }
}

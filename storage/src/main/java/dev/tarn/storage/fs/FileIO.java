package dev.tarn.storage.fs;

import java.util.List;

/**
 * The only way Tarn touches files. Log, scan and write code receive a FileIO and never open files themselves, so
 * tests can count operations or inject faults, and object stores can be added behind the same five verbs.
 *
 * <p>A location is an absolute path (or a {@code file:} URI) naming a file or directory. Every method reports
 * failures as {@link dev.tarn.error.TarnException} naming the location ({@code MISSING_FILE} when it does not
 * exist, {@code IO_ERROR} otherwise), with the underlying cause attached.
 */
public interface FileIO {

    /** A handle for reading an existing file; opening happens on {@link InputFile#newStream()}. */
    InputFile newInputFile(String location);

    /** A handle for writing a new file; parent directories are created as needed. */
    OutputFile newOutputFile(String location);

    /**
     * Atomically creates {@code location} with exactly {@code content} if and only if nothing exists there yet
     * (put-if-absent). Readers never observe a partial file, across threads and processes.
     *
     * @return true if this call created the file, false if the location already existed
     */
    boolean createExclusive(String location, byte[] content);

    /**
     * The entries directly inside a directory, sorted by name; empty when the directory does not exist.
     */
    List<FileEntry> list(String directory);

    /**
     * The entries directly inside a directory whose names sort at or after {@code startName} (by
     * {@link String#compareTo}), sorted by name; empty when the directory does not exist. Lets a reader of a
     * directory of ordered names, such as a Delta log, skip the old ones; implementations that can start a listing
     * at a name (object stores) or skip the metadata of the others (local files) should override it.
     */
    default List<FileEntry> listFrom(String directory, String startName) {
        java.util.Objects.requireNonNull(startName, "startName is null");
        List<FileEntry> all = list(directory);
        int from = 0;
        while (from < all.size() && all.get(from).name().compareTo(startName) < 0) {
            from++;
        }
        return from == 0 ? all : List.copyOf(all.subList(from, all.size()));
    }

    /**
     * The entries directly inside a directory whose names are among {@code names}, in the order of {@code names}
     * (names that do not exist are left out). For readers that know which names they need, such as the next
     * commits of a Delta log: a local file system looks each name up, so the cost does not grow with the other
     * entries of a large directory. The default filters {@link #listFrom} from the smallest name, one listing.
     */
    default List<FileEntry> entries(String directory, List<String> names) {
        java.util.Objects.requireNonNull(names, "names is null");
        if (names.isEmpty()) {
            return List.of();
        }
        String smallest = java.util.Collections.min(names);
        java.util.Map<String, FileEntry> byName = new java.util.HashMap<>();
        for (FileEntry e : listFrom(directory, smallest)) {
            byName.put(e.name(), e);
        }
        List<FileEntry> out = new java.util.ArrayList<>(names.size());
        for (String n : names) {
            FileEntry e = byName.get(n);
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }

    /** Every file (not directory) below a directory, at any depth, sorted by location. */
    List<FileEntry> listRecursively(String directory);

    /** Deletes a file; returns false when it did not exist. */
    boolean delete(String location);

    boolean exists(String location);
}

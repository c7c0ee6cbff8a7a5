package dev.tarn.query.internal.catalog;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.storage.fs.FileEntry;
import dev.tarn.query.internal.write.WriteSettings;
import dev.tarn.storage.fs.FileIO;
import dev.tarn.txlog.Snapshot;
import dev.tarn.txlog.TableLog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The lake as a catalog: each directory directly inside the lake is a schema, each directory inside a schema that
 * holds a {@code _delta_log} is a table. Names are matched case-insensitively; new schemas and tables get
 * lower-case directory names, as Spark's warehouse does. Schema {@value #DEFAULT_SCHEMA} always exists.
 * Every lookup reads the table's latest version, so a handle sees commits made before it was obtained.
 */
public final class DeltaLakeCatalog implements LakeCatalog {
    public static final String DEFAULT_SCHEMA = "default";
    static final String DELTA_LOG = "_delta_log";

    private final Path lake;
    private final FileIO fileIO;
    private final WriteSettings writeSettings;

    public DeltaLakeCatalog(Path lake, FileIO fileIO, WriteSettings writeSettings) {
        this.lake = requireNonNull(lake, "lake is null").toAbsolutePath().normalize();
        this.fileIO = requireNonNull(fileIO, "fileIO is null");
        this.writeSettings = requireNonNull(writeSettings, "writeSettings is null");
    }

    public Path lake() {
        return lake;
    }

    public FileIO fileIO() {
        return fileIO;
    }

    @Override
    public List<String> schemaNames() {
        TreeSet<String> names = new TreeSet<>();
        names.add(DEFAULT_SCHEMA);
        for (FileEntry e : fileIO.list(lake.toString())) {
            if (e.directory() && isVisible(e.name())) {
                names.add(e.name());
            }
        }
        return List.copyOf(names);
    }

    @Override
    public boolean schemaExists(String schema) {
        return schemaDirectoryName(schema).isPresent();
    }

    /** The on-disk name of a schema (matched ignoring case), if the schema exists. */
    public Optional<String> schemaDirectoryName(String schema) {
        requireNonNull(schema, "schema is null");
        for (String name : schemaNames()) {
            if (name.equalsIgnoreCase(schema)) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }

    /** Where a schema lives (or would live). */
    public String schemaLocation(String schema) {
        String dir = schemaDirectoryName(schema).orElse(schema.toLowerCase(Locale.ROOT));
        return lake.resolve(dir).toString();
    }

    @Override
    public List<String> tableNames(String schema) {
        Optional<String> dir = schemaDirectoryName(schema);
        if (dir.isEmpty()) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (FileEntry e : fileIO.list(lake.resolve(dir.get()).toString())) {
            if (e.directory() && isVisible(e.name()) && fileIO.exists(e.location() + "/" + DELTA_LOG)) {
                names.add(e.name());
            }
        }
        names.sort(String.CASE_INSENSITIVE_ORDER);
        return List.copyOf(names);
    }

    /** The location of an existing table of the lake (names matched ignoring case). */
    public Optional<String> tableLocation(String schema, String table) {
        requireNonNull(table, "table is null");
        for (String name : tableNames(schema)) {
            if (name.equalsIgnoreCase(table)) {
                return Optional.of(lake.resolve(schemaDirectoryName(schema).orElseThrow()).resolve(name).toString());
            }
        }
        return Optional.empty();
    }

    /** Where a new table of the lake goes: {@code <lake>/<schema>/<lower-case table name>}. */
    public String newTableLocation(String schema, String table) {
        return Path.of(schemaLocation(schema)).resolve(table.toLowerCase(Locale.ROOT)).toString();
    }

    @Override
    public Optional<TableHandle> table(String schema, String table) {
        Optional<String> location = tableLocation(schema, table);
        if (location.isEmpty()) {
            return Optional.empty();
        }
        TableLog log = TableLog.forPath(fileIO, location.get());
        if (!log.exists()) {
            return Optional.empty(); // a _delta_log directory without commits is not a table yet
        }
        String displayName = schemaDirectoryName(schema).orElseThrow() + "." + Path.of(location.get()).getFileName();
        return Optional.of(new DeltaTableHandle(fileIO, displayName, log.latestSnapshot(), writeSettings));
    }

    @Override
    public Optional<TableHandle> tableByPath(String path) {
        String location = normalizePath(path);
        TableLog log = TableLog.forPath(fileIO, location);
        if (!log.exists()) {
            return Optional.empty();
        }
        return Optional.of(new DeltaTableHandle(fileIO, "delta.`" + location + "`", log.latestSnapshot(), writeSettings));
    }

    /** A handle on the latest version of the table at {@code location}; {@code TABLE_NOT_FOUND} if there is none. */
    public DeltaTableHandle open(String location, String displayName) {
        TableLog log = TableLog.forPath(fileIO, location);
        if (!log.exists()) {
            throw new TarnException(ErrorCode.TABLE_NOT_FOUND, "Table " + displayName + " not found at " + location);
        }
        Snapshot snapshot = log.latestSnapshot();
        return new DeltaTableHandle(fileIO, displayName, snapshot, writeSettings);
    }

    public WriteSettings writeSettings() {
        return writeSettings;
    }

    /**
     * An absolute table path without a trailing slash; {@code file:} URIs become plain paths so one table has one
     * location string however it is named.
     */
    public static String normalizePath(String path) {
        requireNonNull(path, "path is null");
        String p = path;
        if (p.startsWith("file:")) {
            try {
                p = Path.of(java.net.URI.create(p)).toString();
            } catch (IllegalArgumentException e) {
                throw new TarnException(ErrorCode.VALIDATION_ERROR, "Not a valid file URI: " + path, e);
            }
        }
        Path abs = Path.of(p);
        if (!abs.isAbsolute()) {
            throw new TarnException(ErrorCode.VALIDATION_ERROR, "A table path must be absolute: " + path);
        }
        return abs.normalize().toString();
    }

    // Hidden and underscore-prefixed directories are not schemas or tables (e.g. _delta_log, .tmp).
    private static boolean isVisible(String name) {
        return !name.startsWith(".") && !name.startsWith("_");
    }
}

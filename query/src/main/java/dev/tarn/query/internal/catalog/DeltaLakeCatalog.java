package dev.tarn.query.internal.catalog;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.storage.fs.FileEntry;
import dev.tarn.query.internal.scan.DeletionVectorCache;
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
    private final ManagingCatalogs managingCatalogs;
    private final DeletionVectorCache deletionVectors;

    public DeltaLakeCatalog(Path lake, FileIO fileIO, WriteSettings writeSettings) {
        this(lake, fileIO, writeSettings, ManagingCatalogs.NONE);
    }

    /** The latest snapshot of each table read recently: statements refresh it rather than replay the log. */
    private final SnapshotCache snapshots = new SnapshotCache();

    /** A lake whose catalog-managed tables read their ratified commits from {@code managingCatalogs}. */
    public DeltaLakeCatalog(Path lake, FileIO fileIO, WriteSettings writeSettings, ManagingCatalogs managingCatalogs) {
        this(lake, fileIO, writeSettings, managingCatalogs,
                new DeletionVectorCache(DeletionVectorCache.DEFAULT_MAX_BYTES));
    }

    /** A lake whose scans share {@code deletionVectors} (one cache per database). */
    public DeltaLakeCatalog(Path lake, FileIO fileIO, WriteSettings writeSettings, ManagingCatalogs managingCatalogs,
                            DeletionVectorCache deletionVectors) {
        this.deletionVectors = requireNonNull(deletionVectors, "deletionVectors is null");
        this.lake = requireNonNull(lake, "lake is null").toAbsolutePath().normalize();
        this.fileIO = requireNonNull(fileIO, "fileIO is null");
        this.writeSettings = requireNonNull(writeSettings, "writeSettings is null");
        this.managingCatalogs = requireNonNull(managingCatalogs, "managingCatalogs is null");
    }

    /** Forgets the cached snapshots of the table at {@code location} and of every table below it (it was deleted). */
    public void forget(String location) {
        snapshots.forget(location);
    }

    /** The log of the table at {@code location}, through its managing catalog when it has one. */
    public TableLog log(String location) {
        return managingCatalogs.commitsFor(location)
                .map(c -> TableLog.forPath(fileIO, location, c))
                .orElseGet(() -> TableLog.forPath(fileIO, location));
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
        Optional<String> dir = schemaDirectoryName(schema);
        return dir.isEmpty() ? Optional.empty() : tableLocationIn(dir.get(), table);
    }

    /**
     * The location of an existing table in the schema directory {@code dir}. Every statement resolves its tables, so
     * the directory named as written or in lower case (as Tarn names new tables) is tried first, one lookup each;
     * only a name in other case is matched by listing the schema, which looks for a log in every table directory.
     */
    private Optional<String> tableLocationIn(String dir, String table) {
        Path schemaPath = lake.resolve(dir);
        String lower = table.toLowerCase(Locale.ROOT);
        for (String candidate : table.equals(lower) ? List.of(table) : List.of(table, lower)) {
            if (isPlainName(candidate) && fileIO.exists(schemaPath.resolve(candidate) + "/" + DELTA_LOG)) {
                return Optional.of(schemaPath.resolve(candidate).toString());
            }
        }
        for (FileEntry e : fileIO.list(schemaPath.toString())) {
            if (e.directory() && isVisible(e.name()) && e.name().equalsIgnoreCase(table)
                    && fileIO.exists(e.location() + "/" + DELTA_LOG)) {
                return Optional.of(schemaPath.resolve(e.name()).toString());
            }
        }
        return Optional.empty();
    }

    /** A visible name of one directory level (no separators, not {@code .} or {@code ..}). */
    private static boolean isPlainName(String name) {
        return !name.isEmpty() && isVisible(name) && name.indexOf('/') < 0 && name.indexOf('\\') < 0
                && name.indexOf(':') < 0;
    }

    /** Where a new table of the lake goes: {@code <lake>/<schema>/<lower-case table name>}. */
    public String newTableLocation(String schema, String table) {
        return Path.of(schemaLocation(schema)).resolve(table.toLowerCase(Locale.ROOT)).toString();
    }

    /**
     * A table of the lake, at its latest version; a name ending in a time-travel suffix ({@code t@v3},
     * {@code t@20240101000000000}, see {@link TimeTravel}) that is not itself a table names that past version.
     */
    @Override
    public Optional<TableHandle> table(String schema, String table) {
        requireNonNull(table, "table is null");
        Optional<String> schemaDir = schemaDirectoryName(schema);
        if (schemaDir.isEmpty()) {
            return Optional.empty();
        }
        String dir = schemaDir.get();
        Optional<String> location = tableLocationIn(dir, table);
        Optional<TimeTravel.Split> split = Optional.empty();
        if (location.isEmpty()) {
            Optional<ChangeRange.Split> changes = ChangeRange.split(table);
            if (changes.isPresent()) {
                return tableLocationIn(dir, changes.get().name()).flatMap(l -> changeFeed(l,
                        dir + "." + Path.of(l).getFileName(), changes.get().range()));
            }
            split = TimeTravel.split(table);
            if (split.isEmpty()) {
                return Optional.empty();
            }
            location = tableLocationIn(dir, split.get().name());
            if (location.isEmpty()) {
                return Optional.empty();
            }
        }
        TableLog log = log(location.get());
        if (!log.exists()) {
            return Optional.empty(); // a _delta_log directory without commits is not a table yet
        }
        String displayName = dir + "." + Path.of(location.get()).getFileName();
        return Optional.of(handle(log, displayName, split.map(TimeTravel.Split::timeTravel)));
    }

    /** A table named by path; a path ending in a time-travel suffix that is not itself a table names a past version. */
    @Override
    public Optional<TableHandle> tableByPath(String path) {
        String location = normalizePath(path);
        TableLog log = log(location);
        Optional<TimeTravel> timeTravel = Optional.empty();
        if (!log.exists()) {
            Optional<ChangeRange.Split> changes = ChangeRange.split(location);
            if (changes.isPresent()) {
                String table = normalizePath(changes.get().name());
                return changeFeed(table, "delta.`" + table + "`", changes.get().range());
            }
            Optional<TimeTravel.Split> split = TimeTravel.split(location);
            if (split.isEmpty()) {
                return Optional.empty();
            }
            location = normalizePath(split.get().name());
            log = log(location);
            if (!log.exists()) {
                return Optional.empty();
            }
            timeTravel = Optional.of(split.get().timeTravel());
        }
        return Optional.of(handle(log, "delta.`" + location + "`", timeTravel));
    }

    /** The change data feed of the table at {@code location} over {@code range}; empty when there is no table. */
    private Optional<TableHandle> changeFeed(String location, String displayName, ChangeRange range) {
        TableLog log = log(location);
        if (!log.exists()) {
            return Optional.empty();
        }
        return Optional.of(new ChangeFeedHandle(fileIO, displayName, log, range, writeSettings, deletionVectors));
    }

    /** The decoded deletion vectors shared by this lake's scans. */
    public DeletionVectorCache deletionVectorCache() {
        return deletionVectors;
    }

    private DeltaTableHandle handle(TableLog log, String displayName, Optional<TimeTravel> timeTravel) {
        if (timeTravel.isEmpty()) {
            return new DeltaTableHandle(fileIO, displayName, snapshots.latest(log), writeSettings, deletionVectors);
        }
        return new DeltaTableHandle(fileIO, displayName, pinned(log, displayName, timeTravel.get()), writeSettings,
                timeTravel, deletionVectors);
    }

    /**
     * The snapshot a time-travel clause selects; {@code VERSION_NOT_FOUND} names the table and the versions the log
     * can still reconstruct.
     */
    private Snapshot pinned(TableLog log, String displayName, TimeTravel timeTravel) {
        try {
            if (timeTravel instanceof TimeTravel.Version v) {
                return log.snapshotAt(v.version());
            }
            return log.snapshotAsOf(((TimeTravel.Timestamp) timeTravel).epochMillis());
        } catch (TarnException e) {
            if (e.errorCode() != ErrorCode.VERSION_NOT_FOUND) {
                throw e;
            }
            throw new TarnException(ErrorCode.VERSION_NOT_FOUND, "Table " + displayName + " has no version "
                    + timeTravel.describe() + "; " + availableVersions(log) + " (" + e.getMessage() + ")", e);
        }
    }

    /** "available versions are 0 to 7", from the names in the log directory. */
    private String availableVersions(TableLog log) {
        long latest = -1;
        long earliestCommit = Long.MAX_VALUE;
        long earliestCheckpoint = Long.MAX_VALUE;
        for (FileEntry e : fileIO.list(log.logDirectory())) {
            String n = e.name();
            if (n.length() < 21 || !n.substring(0, 20).chars().allMatch(Character::isDigit) || n.charAt(20) != '.') {
                continue;
            }
            long v = Long.parseLong(n.substring(0, 20));
            if (n.endsWith(".json") && n.length() == 25) {
                earliestCommit = Math.min(earliestCommit, v);
                latest = Math.max(latest, v);
            } else if (n.startsWith(".checkpoint", 20)) {
                earliestCheckpoint = Math.min(earliestCheckpoint, v);
                latest = Math.max(latest, v);
            }
        }
        if (latest < 0) {
            return "the log holds no versions";
        }
        long earliest = earliestCommit == 0 ? 0 : Math.min(earliestCheckpoint, latest);
        return "available versions are " + earliest + " to " + latest;
    }

    /** A handle on the latest version of the table at {@code location}; {@code TABLE_NOT_FOUND} if there is none. */
    public DeltaTableHandle open(String location, String displayName) {
        TableLog log = log(location);
        if (!log.exists()) {
            throw new TarnException(ErrorCode.TABLE_NOT_FOUND, "Table " + displayName + " not found at " + location);
        }
        Snapshot snapshot = snapshots.latest(log);
        return new DeltaTableHandle(fileIO, displayName, snapshot, writeSettings, deletionVectors);
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

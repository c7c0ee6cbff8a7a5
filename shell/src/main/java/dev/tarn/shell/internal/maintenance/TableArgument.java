package dev.tarn.shell.internal.maintenance;

import static java.util.Objects.requireNonNull;

import dev.tarn.query.Database;
import dev.tarn.shell.internal.Io;
import dev.tarn.shell.internal.UsageException;
import dev.tarn.txlog.TableLog;
import java.util.Optional;

/**
 * The {@code <table>} of a maintenance command: {@code schema.table} ({@code table} alone is in schema
 * {@code default}), or a path when it contains a slash or starts with a dot (relative to the working directory).
 */
record TableArgument(Optional<String> schema, Optional<String> name, Optional<String> path) {
    TableArgument {
        requireNonNull(schema, "schema is null");
        requireNonNull(name, "name is null");
        requireNonNull(path, "path is null");
    }

    static TableArgument parse(String command, String text) throws UsageException {
        if (text.contains("/") || text.contains("\\") || text.startsWith(".")) {
            return new TableArgument(Optional.empty(), Optional.empty(), Optional.of(text));
        }
        String[] parts = text.split("\\.", -1);
        for (String p : parts) {
            if (p.isEmpty()) {
                throw new UsageException("tarn " + command + ": bad table name '" + text + "'; expected schema.table or a path");
            }
        }
        return switch (parts.length) {
            case 1 -> new TableArgument(Optional.of("default"), Optional.of(parts[0]), Optional.empty());
            case 2 -> new TableArgument(Optional.of(parts[0]), Optional.of(parts[1]), Optional.empty());
            default -> throw new UsageException("tarn " + command + ": bad table name '" + text
                    + "'; expected schema.table or a path");
        };
    }

    /** The table's log (TABLE_NOT_FOUND when there is none) and the name to report it by. */
    Target resolve(Database db, Io io) {
        if (path.isPresent()) {
            String location = io.resolve(path.get()).toString();
            TableLog log = db.tableLogAt(location);
            return new Target(log, log.location());
        }
        TableLog log = db.tableLog(schema.orElseThrow(), name.orElseThrow());
        return new Target(log, schema.get() + "." + name.get());
    }

    /** A resolved table. */
    record Target(TableLog log, String displayName) {
        Target {
            requireNonNull(log, "log is null");
            requireNonNull(displayName, "displayName is null");
        }
    }
}

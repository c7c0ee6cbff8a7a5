package dev.tarn.jdbc.internal;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.jdbc.TarnConnectionProperty;
import dev.tarn.query.StatementTimeout;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Everything a {@code jdbc:tarn:} URL and its properties say, parsed and checked once.
 *
 * @param lake where the lake lives
 * @param schema the initial current schema
 * @param readOnly whether the session starts read-only
 * @param timeZone the zone TIMESTAMP values are shown in
 * @param threads worker threads for the lake's database
 * @param memoryLimitBytes per-query memory limit, {@code Long.MAX_VALUE} for none
 * @param create create the lake when missing
 * @param nestedAsJson return ARRAY, STRUCT and MAP values as JSON text
 * @param statementTimeout how long each statement may run ({@link Duration#ZERO}: no limit)
 * @param sync force commits to disk (false for throw-away lakes)
 */
public record ConnectionSettings(LakeLocation lake, String schema, boolean readOnly, ZoneId timeZone, int threads,
                                 long memoryLimitBytes, boolean create, boolean nestedAsJson,
                                 Duration statementTimeout, boolean sync) {
    public static final String URL_PREFIX = "jdbc:tarn:";
    private static final String MEM_PREFIX = "mem:";

    public ConnectionSettings {
        requireNonNull(lake, "lake is null");
        requireNonNull(schema, "schema is null");
        requireNonNull(timeZone, "timeZone is null");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        if (memoryLimitBytes <= 0) {
            throw new IllegalArgumentException("memoryLimitBytes must be positive, got " + memoryLimitBytes);
        }
        requireNonNull(statementTimeout, "statementTimeout is null");
        if (statementTimeout.isNegative()) {
            throw new IllegalArgumentException("statementTimeout must not be negative, got " + statementTimeout);
        }
    }

    /** Where a lake lives: a directory, or an in-memory name backed by a temporary directory. */
    public sealed interface LakeLocation permits DirectoryLake, MemoryLake {}

    /** A lake directory, absolute and normalized. */
    public record DirectoryLake(Path path) implements LakeLocation {
        public DirectoryLake {
            path = requireNonNull(path, "path is null").toAbsolutePath().normalize();
        }
    }

    /** A {@code mem:<name>} lake. */
    public record MemoryLake(String name) implements LakeLocation {
        public MemoryLake {
            requireNonNull(name, "name is null");
        }
    }

    /**
     * Parses {@code jdbc:tarn:<lake>[;key=value]...}. Relative lake paths are resolved against the current directory.
     * Errors are {@code INVALID_VALUE} TarnExceptions naming the offending part.
     */
    public static ConnectionSettings parse(String url, Properties info) {
        requireNonNull(url, "url is null");
        if (!url.startsWith(URL_PREFIX)) {
            throw new TarnException(ErrorCode.INVALID_VALUE, "Not a Tarn URL (expected jdbc:tarn:<lake>): " + url);
        }
        String[] parts = url.substring(URL_PREFIX.length()).split(";", -1);
        String location = parts[0].trim();
        if (location.isEmpty()) {
            throw new TarnException(ErrorCode.INVALID_VALUE,
                    "The URL names no lake; use jdbc:tarn:/path/to/lake or jdbc:tarn:mem:<name>: " + url);
        }
        Map<TarnConnectionProperty, String> values = new EnumMap<>(TarnConnectionProperty.class);
        if (info != null) {
            for (String name : info.stringPropertyNames()) {
                TarnConnectionProperty p = TarnConnectionProperty.forKey(name);
                if (p != null) {
                    values.put(p, info.getProperty(name));
                }
            }
        }
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i].trim();
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new TarnException(ErrorCode.INVALID_VALUE,
                        "URL property '" + part + "' is not of the form key=value in " + url);
            }
            TarnConnectionProperty p = TarnConnectionProperty.forKey(part.substring(0, eq).trim());
            if (p != null) {
                values.put(p, part.substring(eq + 1).trim());
            }
        }

        LakeLocation lake;
        if (location.startsWith(MEM_PREFIX)) {
            String name = location.substring(MEM_PREFIX.length());
            if (name.isEmpty()) {
                throw new TarnException(ErrorCode.INVALID_VALUE, "jdbc:tarn:mem: needs a name, e.g. jdbc:tarn:mem:test");
            }
            lake = new MemoryLake(name);
        } else {
            try {
                lake = new DirectoryLake(Path.of(location));
            } catch (InvalidPathException e) {
                throw new TarnException(ErrorCode.INVALID_VALUE, "Invalid lake path '" + location + "' in " + url, e);
            }
        }

        String schema = values.getOrDefault(TarnConnectionProperty.SCHEMA, TarnConnectionProperty.SCHEMA.defaultValue());
        if (schema.isEmpty()) {
            throw new TarnException(ErrorCode.INVALID_VALUE, "Connection property schema is empty");
        }
        boolean readOnly = parseBoolean(TarnConnectionProperty.READ_ONLY,
                values.getOrDefault(TarnConnectionProperty.READ_ONLY, "false"));
        ZoneId zone = parseZone(values.getOrDefault(TarnConnectionProperty.TIME_ZONE,
                TarnConnectionProperty.TIME_ZONE.defaultValue()));
        int threads = values.containsKey(TarnConnectionProperty.THREADS)
                ? parseThreads(values.get(TarnConnectionProperty.THREADS))
                : Runtime.getRuntime().availableProcessors();
        long memory = values.containsKey(TarnConnectionProperty.MEMORY_LIMIT)
                ? parseBytes(values.get(TarnConnectionProperty.MEMORY_LIMIT))
                : Long.MAX_VALUE;
        boolean create = values.containsKey(TarnConnectionProperty.CREATE)
                ? parseBoolean(TarnConnectionProperty.CREATE, values.get(TarnConnectionProperty.CREATE))
                : lake instanceof MemoryLake;
        boolean nestedAsJson = parseBoolean(TarnConnectionProperty.NESTED_AS_JSON,
                values.getOrDefault(TarnConnectionProperty.NESTED_AS_JSON, "false"));
        Duration timeout = values.containsKey(TarnConnectionProperty.STATEMENT_TIMEOUT)
                ? parseTimeout(values.get(TarnConnectionProperty.STATEMENT_TIMEOUT))
                : Duration.ZERO;
        boolean sync = values.containsKey(TarnConnectionProperty.SYNC)
                ? parseBoolean(TarnConnectionProperty.SYNC, values.get(TarnConnectionProperty.SYNC))
                : !(lake instanceof MemoryLake);
        return new ConnectionSettings(lake, schema, readOnly, zone, threads, memory, create, nestedAsJson, timeout,
                sync);
    }

    private static boolean parseBoolean(TarnConnectionProperty p, String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        if (s.equals("true")) {
            return true;
        }
        if (s.equals("false")) {
            return false;
        }
        throw invalid(p, v, "true or false");
    }

    private static ZoneId parseZone(String v) {
        try {
            return ZoneId.of(v.trim());
        } catch (DateTimeException e) {
            throw new TarnException(ErrorCode.INVALID_VALUE, "Connection property time_zone has an unknown zone '" + v
                    + "'; use a region such as Europe/Berlin or an offset such as +02:00", e);
        }
    }

    private static int parseThreads(String v) {
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid(TarnConnectionProperty.THREADS, v, "a whole number of at least 1");
    }

    private static Duration parseTimeout(String v) {
        try {
            return StatementTimeout.parse(v);
        } catch (TarnException e) {
            throw invalid(TarnConnectionProperty.STATEMENT_TIMEOUT, v,
                    "milliseconds or a number with a unit ms, s, min or h (e.g. 30s), or 0 for none");
        }
    }

    /** Parses {@code 1048576}, {@code 512k}, {@code 64m}, {@code 2g} (1024-based). */
    static long parseBytes(String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        long unit = 1;
        if (!s.isEmpty()) {
            char last = s.charAt(s.length() - 1);
            unit = switch (last) {
                case 'k' -> 1L << 10;
                case 'm' -> 1L << 20;
                case 'g' -> 1L << 30;
                case 't' -> 1L << 40;
                default -> 1;
            };
            if (unit != 1) {
                s = s.substring(0, s.length() - 1).trim();
            }
        }
        try {
            long n = Long.parseLong(s);
            if (n > 0) {
                return Math.multiplyExact(n, unit);
            }
        } catch (NumberFormatException | ArithmeticException e) {
            // reported below
        }
        throw invalid(TarnConnectionProperty.MEMORY_LIMIT, v, "a positive size such as 536870912, 512m or 2g");
    }

    private static TarnException invalid(TarnConnectionProperty p, String value, String expected) {
        return new TarnException(ErrorCode.INVALID_VALUE,
                "Connection property " + p.key() + " has invalid value '" + value + "'; expected " + expected);
    }
}

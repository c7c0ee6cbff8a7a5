package dev.tarn.shell.internal.maintenance;

import dev.tarn.shell.internal.ArgReader;
import dev.tarn.shell.internal.UsageException;

/** The options every maintenance command takes: {@code --lake DIR}, {@code --json} and, for most, one table. */
final class CommonOptions {
    private final String command;
    private final boolean takesTable;
    private String lake;
    private boolean json;
    private String table;

    CommonOptions(String command, boolean takesTable) {
        this.command = command;
        this.takesTable = takesTable;
    }

    /** Consumes {@code opt} when it is a common option or the table argument. */
    boolean accept(String opt, ArgReader r) throws UsageException {
        switch (opt) {
            case "--lake" -> {
                lake = r.value(opt);
                return true;
            }
            case "--json" -> {
                r.noValue(opt);
                json = true;
                return true;
            }
            default -> {
                if (opt.startsWith("-") || !takesTable) {
                    return false;
                }
                if (table != null) {
                    throw new UsageException("tarn " + command + ": one table only, got '" + table + "' and '" + opt + "'");
                }
                table = opt;
                return true;
            }
        }
    }

    /** Fails unless the lake and (if taken) the table were given. */
    void check() throws UsageException {
        if (lake == null || lake.isEmpty()) {
            throw new UsageException("tarn " + command + ": --lake DIR is required");
        }
        if (takesTable && (table == null || table.isEmpty())) {
            throw new UsageException("tarn " + command + ": which table? Give schema.table or a path");
        }
        if (takesTable) {
            TableArgument.parse(command, table);
        }
    }

    static UsageException unknown(String command, String opt) {
        return new UsageException("tarn " + command + ": unknown option '" + opt + "'");
    }

    String lake() {
        return lake;
    }

    boolean json() {
        return json;
    }

    String table() {
        return table;
    }
}

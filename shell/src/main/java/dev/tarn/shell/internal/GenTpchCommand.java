package dev.tarn.shell.internal;

import dev.tarn.error.TarnException;
import dev.tarn.query.Session;
import dev.tarn.query.TableAppender;
import dev.tarn.testdata.tpch.TpchBatches;
import dev.tarn.testdata.tpch.TpchGenerator;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * {@code tarn gen-tpch}: creates the eight TPC-H tables as Delta tables in one schema and loads them with
 * io.trino.tpch's generator through the session's {@link TableAppender} (one commit per table).
 */
public final class GenTpchCommand implements Command {
    static final String USAGE = String.join("\n",
            "usage: tarn gen-tpch [--lake DIR] --sf N [--schema NAME]",
            "",
            "  --lake DIR       the lake directory (default ./lake; created when absent)",
            "  --sf N           the TPC-H scale factor (e.g. 0.01, 0.1, 1: about 1 GB of raw data)",
            "  --schema NAME    the schema to create the tables in (default tpch; created when absent)",
            "",
            "Creates region, nation, supplier, customer, part, partsupp, orders and lineitem with the types keys",
            "BIGINT, other integers INT, money/quantity/discount/tax DECIMAL(15,2), dates DATE, text STRING, using",
            "io.trino.tpch 1.2 (dbgen's rows). Fails when one of the tables already exists.",
            "Exit code: 0 success, 1 generation failed, 2 bad usage.");

    @Override
    public String name() {
        return "gen-tpch";
    }

    @Override
    public String summary() {
        return "create and load the TPC-H tables at a scale factor";
    }

    @Override
    public String usage() {
        return USAGE;
    }

    @Override
    public int run(List<String> args, Io io) throws UsageException {
        String lake = "lake";
        String schema = "tpch";
        Double scale = null;
        ArgReader r = new ArgReader(args, "tarn gen-tpch");
        while (r.hasNext()) {
            String opt = r.nextOption();
            switch (opt) {
                case "--lake" -> lake = r.value(opt);
                case "--schema" -> schema = r.value(opt);
                case "--sf" -> {
                    String v = r.value(opt);
                    try {
                        scale = Double.parseDouble(v);
                    } catch (NumberFormatException e) {
                        throw new UsageException("tarn gen-tpch: --sf needs a number, got '" + v + "'");
                    }
                    if (!(scale > 0) || scale > 100_000) {
                        throw new UsageException("tarn gen-tpch: --sf must be positive, got '" + v + "'");
                    }
                }
                default -> throw new UsageException("tarn gen-tpch: unknown option '" + opt + "'");
            }
        }
        if (scale == null) {
            throw new UsageException("tarn gen-tpch: --sf N is required");
        }
        if (lake.isEmpty()) {
            throw new UsageException("tarn gen-tpch: --lake needs a directory");
        }
        if (!schema.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new UsageException("tarn gen-tpch: --schema needs a plain name (letters, digits, _), got '"
                    + schema + "'");
        }
        PrintWriter err = io.errWriter();
        long start = System.nanoTime();
        try (LakeOpener opened = LakeOpener.open(io.resolve(lake), null)) {
            Session session = opened.session();
            if (!session.catalog().schemas().stream().anyMatch(schema::equalsIgnoreCase)) {
                session.execute("CREATE SCHEMA " + schema).close();
            }
            for (String table : TpchGenerator.TABLES) {
                long tableStart = System.nanoTime();
                long rows = load(session, schema, table, scale);
                err.printf(Locale.ROOT, "%s.%s: %d rows in %.1f s%n", schema, table, rows,
                        (System.nanoTime() - tableStart) / 1e9);
                err.flush();
            }
            err.printf(Locale.ROOT, "TPC-H SF %s generated in %s in %.1f s%n", format(scale), io.resolve(lake),
                    (System.nanoTime() - start) / 1e9);
            return 0;
        } catch (TarnException e) {
            err.println("tarn gen-tpch: " + e.formattedMessage());
            return 1;
        } finally {
            err.flush();
        }
    }

    private static long load(Session session, String schema, String table, double scale) {
        session.execute(TpchGenerator.createTableSql(schema + "." + table, table)).close();
        try (BufferAllocator allocator = new RootAllocator();
             TpchBatches batches = TpchGenerator.batches(table, scale, allocator);
             TableAppender appender = session.appender(schema, table)) {
            try {
                for (VectorSchemaRoot b = batches.next(); b != null; b = batches.next()) {
                    appender.append(b);
                }
            } catch (RuntimeException e) {
                appender.abort();
                throw e;
            }
            return appender.rowCount();
        }
    }

    private static String format(double scale) {
        return scale == Math.rint(scale) ? Long.toString((long) scale) : Double.toString(scale);
    }
}

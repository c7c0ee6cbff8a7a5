package dev.tarn.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.CatalogView;
import dev.tarn.query.PreparedQuery;
import dev.tarn.query.QueryResult;
import dev.tarn.query.ResultColumn;
import dev.tarn.query.Session;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.Test;

/** Ctrl-C (SIGINT on the terminal) cancels the running statement through Session.cancel(); the shell goes on. */
class CancelTest {
    /** A session whose "slow" statement runs until cancelled; every other statement succeeds with OK. */
    private static final class SlowSession implements Session {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch cancelled = new CountDownLatch(1);

        @Override
        public QueryResult execute(String sql) {
            if (sql.contains("slow")) {
                started.countDown();
                try {
                    if (!cancelled.await(30, TimeUnit.SECONDS)) {
                        throw new AssertionError("never cancelled");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new TarnException(ErrorCode.QUERY_CANCELLED, "Query cancelled");
            }
            return new QueryResult() {
                @Override
                public Kind kind() {
                    return Kind.OK;
                }

                @Override
                public List<ResultColumn> columns() {
                    return List.of();
                }

                @Override
                public long updateCount() {
                    return -1;
                }

                @Override
                public VectorSchemaRoot nextBatch() {
                    return null;
                }

                @Override
                public void close() {}
            };
        }

        @Override
        public void cancel() {
            cancelled.countDown();
        }

        @Override
        public String currentSchema() {
            return "default";
        }

        @Override
        public QueryResult execute(String sql, List<?> parameters) {
            throw new UnsupportedOperationException();
        }

        @Override
        public PreparedQuery prepare(String sql) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setCurrentSchema(String schema) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isReadOnly() {
            return false;
        }

        @Override
        public void setReadOnly(boolean readOnly) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setStatementTimeout(java.time.Duration timeout) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CatalogView catalog() {
            throw new UnsupportedOperationException();
        }

        @Override
        public dev.tarn.query.TableAppender appender(String schema, String table) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {}
    }

    @Test
    void interruptCancelsTheRunningStatementAndTheShellContinues() throws Exception {
        SlowSession session = new SlowSession();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Terminal terminal = new DumbTerminal("test", "dumb",
                new ByteArrayInputStream("select slow;\ncreate table after_cancel (a int);\n"
                        .getBytes(StandardCharsets.UTF_8)), out, StandardCharsets.UTF_8)) {
            Thread interrupter = new Thread(() -> {
                try {
                    if (session.started.await(30, TimeUnit.SECONDS)) {
                        terminal.raise(Terminal.Signal.INT);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            interrupter.start();
            assertEquals(0, InteractiveShell.runTerminal(terminal, session, null, null));
            interrupter.join();
        }
        String output = out.toString(StandardCharsets.UTF_8);
        assertTrue(output.contains("[TARN-5003] Query cancelled"), output);
        assertTrue(output.indexOf("OK") > output.indexOf("TARN-5003"), "the next statement ran: " + output);
    }
}

package dev.tarn.query.internal.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.tarn.query.Database;
import dev.tarn.query.DatabaseConfig;
import dev.tarn.query.Session;
import dev.tarn.query.internal.Lakes;
import dev.tarn.storage.fs.LocalFileIO;
import dev.tarn.txlog.Snapshot;
import dev.tarn.txlog.TableLog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Statements read the latest version of a table through the snapshot cache: an unchanged table is not replayed
 * again, and whatever another writer did in the meantime (commits, a table deleted and made again with the same
 * versions) is seen by the very next statement.
 */
class SnapshotCacheTest {
    @TempDir
    Path dir;

    @Test
    void anUnchangedTableKeepsItsSnapshotAndANewCommitIsSeen() {
        try (Database db = Database.open(DatabaseConfig.of(dir))) {
            Session s = db.newSession();
            run(s, "CREATE TABLE t (a INT)");
            run(s, "INSERT INTO t VALUES (1), (2)");
            TableLog log = TableLog.forPath(new LocalFileIO(), dir.resolve("default").resolve("t").toString());
            SnapshotCache cache = new SnapshotCache();
            Snapshot first = cache.latest(log);
            assertSame(first, cache.latest(log));
            run(s, "INSERT INTO t VALUES (3)");
            Snapshot next = cache.latest(log);
            assertEquals(first.version() + 1, next.version());
            assertEquals(first.activeFileCount() + 1, next.activeFileCount());
        }
    }

    @Test
    void anotherWritersCommitsAndARecreatedTableAreSeenByTheNextStatement() {
        try (Database db = Database.open(DatabaseConfig.of(dir)); Database other = Database.open(DatabaseConfig.of(dir))) {
            Session s = db.newSession();
            Session o = other.newSession();
            run(s, "CREATE TABLE t (a INT)");
            run(s, "INSERT INTO t VALUES (1), (2)");
            assertEquals(List.of("[3]"), rows(s, "SELECT SUM(a) FROM t"));
            run(o, "INSERT INTO t VALUES (10)");
            assertEquals(List.of("[13]"), rows(s, "SELECT SUM(a) FROM t"));
            // Deleted and made again elsewhere up to the same version (2), with other rows: the cached version's
            // commit file is another one.
            run(o, "DROP TABLE t");
            run(o, "CREATE TABLE t (a INT)");
            run(o, "INSERT INTO t VALUES (100)");
            run(o, "INSERT INTO t VALUES (1000)");
            assertEquals(List.of("[1100]"), rows(s, "SELECT SUM(a) FROM t"));
        }
    }

    @Test
    void tarnsOwnDropForgetsTheTable() {
        try (Database db = Database.open(DatabaseConfig.of(dir))) {
            Session s = db.newSession();
            run(s, "CREATE TABLE t (a INT)");
            run(s, "INSERT INTO t VALUES (1)");
            assertEquals(List.of("[1]"), rows(s, "SELECT a FROM t"));
            run(s, "DROP TABLE t");
            run(s, "CREATE TABLE t (a INT)");
            run(s, "INSERT INTO t VALUES (2)");
            assertEquals(List.of("[2]"), rows(s, "SELECT a FROM t"));
            run(s, "CREATE SCHEMA x");
            run(s, "CREATE TABLE x.u (a INT)");
            run(s, "INSERT INTO x.u VALUES (5)");
            assertEquals(List.of("[5]"), rows(s, "SELECT a FROM x.u"));
            run(s, "DROP SCHEMA x CASCADE");
            run(s, "CREATE SCHEMA x");
            run(s, "CREATE TABLE x.u (a INT)");
            run(s, "INSERT INTO x.u VALUES (6)");
            assertEquals(List.of("[6]"), rows(s, "SELECT a FROM x.u"));
        }
    }

    @Test
    void theLeastRecentlyReadTablesLeaveFirst() {
        try (Database db = Database.open(DatabaseConfig.of(dir))) {
            Session s = db.newSession();
            List<TableLog> logs = new ArrayList<>();
            for (String t : List.of("a", "b", "c")) {
                run(s, "CREATE TABLE " + t + " (x INT)");
                run(s, "INSERT INTO " + t + " VALUES (1), (2)");
                logs.add(TableLog.forPath(new LocalFileIO(), dir.resolve("default").resolve(t).toString()));
            }
            SnapshotCache byTables = new SnapshotCache(2, 100);
            Snapshot a = byTables.latest(logs.get(0));
            byTables.latest(logs.get(1));
            assertSame(a, byTables.latest(logs.get(0))); // a is now the most recently read
            byTables.latest(logs.get(2)); // b leaves
            assertEquals(2, byTables.size());
            assertSame(a, byTables.latest(logs.get(0)));
            // Each table has one file: a bound of two files holds two tables.
            SnapshotCache byFiles = new SnapshotCache(10, 2);
            logs.forEach(byFiles::latest);
            assertEquals(2, byFiles.size());
            Snapshot c = byFiles.latest(logs.get(2));
            assertSame(c, byFiles.latest(logs.get(2)));
            assertNotSame(a, byFiles.latest(logs.get(0)));
        }
    }

    private static void run(Session s, String sql) {
        s.execute(sql).close();
    }

    private static List<String> rows(Session s, String sql) {
        return Lakes.rows(s.execute(sql));
    }
}

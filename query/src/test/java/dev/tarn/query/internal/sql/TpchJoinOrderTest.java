package dev.tarn.query.internal.sql;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.query.Database;
import dev.tarn.query.DatabaseConfig;
import dev.tarn.query.QueryResult;
import dev.tarn.query.Session;
import dev.tarn.testdata.tpch.TpchAnswers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Join order of the many-way TPC-H joins at scale factor 0.01 (the answers themselves are TpchQueriesTest's):
 * EXPLAIN ANALYZE shows no inner hash join without keys (a cross product where a connected order exists) and no
 * inner hash join building a hash table of more than {@value #SMALL_BUILD} rows on the input that produced more rows
 * (at this scale factor only lineitem and orders are larger; below that, estimates of a HAVING threshold or of a
 * string equality without statistics may pick either side).
 * Q21 also has its EXISTS / NOT EXISTS as one semi and one anti join on lineitem, not a join per outer row set, each
 * building its hash table on the few outer rows rather than on lineitem.
 */
class TpchJoinOrderTest {
    private static final long SMALL_BUILD = 10_000;
    private static final Pattern ROWS = Pattern.compile("\\(rows=(\\d+) ");

    @TempDir
    static Path lake;

    private static Database database;
    private static Session session;

    @BeforeAll
    static void generate() {
        database = Database.open(DatabaseConfig.of(lake));
        session = database.newSession();
        TpchQueriesTest.loadTpch(session, 0.01, 1);
        session.setCurrentSchema("tpch");
        session.execute("SET threads = 1").close();
    }

    @AfterAll
    static void closeLake() {
        if (session != null) {
            session.close();
        }
        if (database != null) {
            database.close();
        }
    }

    /** A line of EXPLAIN ANALYZE with the lines of its inputs. */
    private record Node(String text, long rows, List<Node> children) {}

    private static List<String> explainAnalyze(String sql) {
        List<String> lines = new ArrayList<>();
        try (QueryResult r = session.execute("EXPLAIN ANALYZE " + sql)) {
            for (VectorSchemaRoot b = r.nextBatch(); b != null; b = r.nextBatch()) {
                VarCharVector v = (VarCharVector) b.getVector(0);
                for (int i = 0; i < b.getRowCount(); i++) {
                    lines.add(new String(v.get(i), java.nio.charset.StandardCharsets.UTF_8));
                }
            }
        }
        return lines.subList(1, lines.size()); // after the totals line
    }

    private static Node parse(List<String> lines, int[] at, int depth) {
        String line = lines.get(at[0]++);
        Matcher m = ROWS.matcher(line);
        long rows = m.find() ? Long.parseLong(m.group(1)) : -1;
        List<Node> children = new ArrayList<>();
        while (at[0] < lines.size() && indent(lines.get(at[0])) == depth + 1) {
            children.add(parse(lines, at, depth + 1));
        }
        return new Node(line.trim(), rows, children);
    }

    private static int indent(String line) {
        int spaces = 0;
        while (spaces < line.length() && line.charAt(spaces) == ' ') {
            spaces++;
        }
        return spaces / 2;
    }

    private static void collectInnerJoins(Node node, List<Node> out) {
        if (node.text().startsWith("HashJoin[INNER")) {
            out.add(node);
        }
        node.children().forEach(c -> collectInnerJoins(c, out));
    }

    @org.junit.jupiter.api.Test
    void existsAndNotExistsBecomeSemiAndAntiJoins() {
        List<String> lines = explainAnalyze(TpchAnswers.query(21));
        String plan = String.join("\n", lines);
        assertTrue(lines.stream().filter(l -> l.contains("Scan[tpch.lineitem")).count() == 3, plan);
        // Both test a few rows of l1 against all of lineitem: the hash table holds the few (a mark join, whose
        // first input is the streamed probe and second the build).
        List<Node> marks = new ArrayList<>();
        collect(parse(lines, new int[] {0}, 0), "MarkJoin[", marks);
        assertTrue(marks.stream().anyMatch(n -> n.text().startsWith("MarkJoin[SEMI")), plan);
        assertTrue(marks.stream().anyMatch(n -> n.text().startsWith("MarkJoin[ANTI")), plan);
        for (Node join : marks) {
            assertTrue(join.children().get(1).rows() < join.children().get(0).rows(), plan);
        }
    }

    /** Whether {@code node} or a node under it starts with {@code prefix}. */
    private static boolean contains(Node node, String prefix) {
        List<Node> found = new ArrayList<>();
        collect(node, prefix, found);
        return !found.isEmpty();
    }

    @org.junit.jupiter.api.Test
    void q21JoinsOrdersAsTheProbeOfTheFewLateLineItems() {
        // o_orderstatus = 'F' keeps half of orders (its values' rows are counted when the table is written), while
        // the late line items of one nation's suppliers are a few percent of lineitem: the hash table holds those.
        List<String> lines = explainAnalyze(TpchAnswers.query(21));
        String plan = String.join("\n", lines);
        List<Node> joins = new ArrayList<>();
        collectInnerJoins(parse(lines, new int[] {0}, 0), joins);
        Node ordersJoin = joins.stream().filter(j -> contains(j, "Scan[tpch.orders")).findFirst().orElseThrow();
        assertTrue(contains(ordersJoin.children().get(0), "Scan[tpch.orders"), plan);
        assertFalse(contains(ordersJoin.children().get(1), "Scan[tpch.orders"), plan);
    }

    private static void collect(Node node, String prefix, List<Node> out) {
        if (node.text().startsWith(prefix)) {
            out.add(node);
        }
        node.children().forEach(c -> collect(c, prefix, out));
    }

    @ParameterizedTest(name = "q{0}")
    @ValueSource(ints = {2, 3, 5, 7, 8, 9, 10, 18, 21})
    void innerJoinsHaveKeysAndBuildOnTheSmallerInput(int number) {
        List<String> lines = explainAnalyze(TpchAnswers.query(number));
        Node root = parse(lines, new int[] {0}, 0);
        List<Node> joins = new ArrayList<>();
        collectInnerJoins(root, joins);
        assertFalse(joins.isEmpty(), String.join("\n", lines));
        for (Node join : joins) {
            assertFalse(join.text().contains("left=[] right=[]"), "cross product in\n" + String.join("\n", lines));
            long probe = join.children().get(0).rows();
            long build = join.children().get(1).rows();
            assertTrue(build <= probe || build <= SMALL_BUILD, "builds on the larger input (" + build + " > " + probe + ") at "
                    + join.text() + " in\n" + String.join("\n", lines));
        }
    }
}

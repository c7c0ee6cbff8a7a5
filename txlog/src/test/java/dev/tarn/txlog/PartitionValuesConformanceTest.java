package dev.tarn.txlog;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tarn.storage.fs.LocalFileIO;
import dev.tarn.testdata.ExpectedTable;
import dev.tarn.testdata.ExpectedTable.Expectation;
import dev.tarn.txlog.skipping.FileStats;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Partition values parsed from real logs match the partition columns of the expected rows (encoded as the
 * conformance README says): every expected row's partition tuple belongs to some file, and every file that still
 * has live rows contributes a tuple found among the expected rows.
 */
class PartitionValuesConformanceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'");
    private static final DateTimeFormatter NTZ = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");

    static Stream<Expectation> partitionedSnapshots() {
        return ExpectedTable.all().stream().flatMap(t -> t.expectations().stream())
                .filter(e -> e.kind().equals("snapshot") && !e.json().has("projection"))
                .filter(e -> !ConformanceCatalog.log(e.table()).snapshotAt(e.version()).partitionColumns().isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("partitionedSnapshots")
    void partitionTuplesMatchExpectedRows(Expectation e) throws Exception {
        Snapshot s = ConformanceCatalog.log(e.table()).snapshotAt(e.version());
        ScanBuilder scan = s.scanBuilder();
        if (e.json().has("session_time_zone")) {
            scan = scan.withSessionTimeZone(java.time.ZoneId.of(e.json().get("session_time_zone").asText()));
        }
        List<String> columns = e.columnNames();
        List<String> partitionColumns = s.partitionColumns();
        Set<String> fromRows = new HashSet<>();
        for (JsonNode row : e.rows()) {
            ArrayNode tuple = F.arrayNode();
            for (String pc : partitionColumns) {
                tuple.add(row.get(columns.indexOf(pc)));
            }
            fromRows.add(JSON.writeValueAsString(tuple));
        }
        Set<String> fromFiles = new HashSet<>();
        Set<String> fromLiveFiles = new HashSet<>();
        for (ScanFile f : scan.build().files()) {
            ArrayNode tuple = F.arrayNode();
            for (String pc : partitionColumns) {
                tuple.add(encode(f.partitionValues().get(pc)));
            }
            String text = JSON.writeValueAsString(tuple);
            fromFiles.add(text);
            long n = FileStats.parse(f.add().stats()).numRecords();
            long live = n - f.deletionVector().map(dv -> dv.cardinality()).orElse(0L);
            if (n >= 0 && live > 0) {
                fromLiveFiles.add(text);
            }
        }
        assertTrue(fromFiles.containsAll(fromRows), "rows " + fromRows + " vs files " + fromFiles);
        assertTrue(fromRows.containsAll(fromLiveFiles), "files " + fromLiveFiles + " vs rows " + fromRows);
    }

    private static JsonNode encode(Object v) {
        if (v == null) {
            return F.nullNode();
        }
        if (v instanceof Float x) {
            return Float.isNaN(x) ? F.textNode("NaN") : F.numberNode(Double.parseDouble(Float.toString(x)));
        }
        if (v instanceof Double x) {
            return Double.isNaN(x) ? F.textNode("NaN") : F.numberNode(x);
        }
        if (v instanceof BigDecimal x) {
            return F.textNode(x.toPlainString());
        }
        if (v instanceof Number x) {
            return F.numberNode(x.longValue());
        }
        if (v instanceof Boolean x) {
            return F.booleanNode(x);
        }
        if (v instanceof LocalDate x) {
            return F.textNode(x.toString());
        }
        if (v instanceof Instant x) {
            return F.textNode(TS.format(x.atOffset(ZoneOffset.UTC)));
        }
        if (v instanceof LocalDateTime x) {
            return F.textNode(NTZ.format(x));
        }
        if (v instanceof byte[] x) {
            return F.textNode(HexFormat.of().formatHex(x));
        }
        return F.textNode(v.toString());
    }
}

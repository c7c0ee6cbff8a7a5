package dev.tarn.txlog.internal.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.txlog.action.Action;
import dev.tarn.txlog.action.AddCdcFile;
import dev.tarn.txlog.action.AddFile;
import dev.tarn.txlog.action.CheckpointMetadata;
import dev.tarn.txlog.action.CommitInfo;
import dev.tarn.txlog.action.DeletionVectorDescriptor;
import dev.tarn.txlog.action.DomainMetadata;
import dev.tarn.txlog.action.Format;
import dev.tarn.txlog.action.Metadata;
import dev.tarn.txlog.action.Protocol;
import dev.tarn.txlog.action.RemoveFile;
import dev.tarn.txlog.action.SetTransaction;
import dev.tarn.txlog.action.Sidecar;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON form of actions (PROTOCOL.md "Delta Log Entries": newline-delimited JSON, one action per line). Unknown
 * actions and unknown fields are ignored for forward compatibility; a known action missing a required field or
 * holding a wrong type is a corrupt log, reported with the file and line.
 */
public final class ActionJson {
    public static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private ActionJson() {}

    /**
     * Parses a whole commit file's bytes; unknown actions are dropped. Lines are cut and parsed straight from the
     * UTF-8 bytes (a newline byte never occurs inside a multi-byte character), so a 10,000-commit replay does not
     * decode every file to a String and copy out every line first.
     */
    public static List<Action> parseFile(byte[] content, String file) {
        List<Action> out = new ArrayList<>();
        int lineNo = 0;
        int start = 0;
        while (start <= content.length) {
            int end = start;
            while (end < content.length && content[end] != '\n') {
                end++;
            }
            lineNo++;
            int from = start;
            int length = end - start;
            Action a = isBlank(content, from, end) ? null
                    : parse(() -> MAPPER.readTree(content, from, length), file, lineNo);
            if (a != null) {
                out.add(a);
            }
            start = end + 1;
        }
        return out;
    }

    /** Whether bytes {@code [start, end)} are only whitespace, as {@link String#isBlank()} decides. */
    private static boolean isBlank(byte[] content, int start, int end) {
        for (int i = start; i < end; i++) {
            byte b = content[i];
            if (b < 0) {
                return new String(content, start, end - start, StandardCharsets.UTF_8).isBlank();
            }
            if (!Character.isWhitespace(b)) {
                return false;
            }
        }
        return true;
    }

    private interface TreeReader {
        JsonNode read() throws java.io.IOException;
    }

    /** Parses one log line; null for blank lines and unknown actions. */
    public static Action parseLine(String line, String file, int lineNo) {
        if (line.isBlank()) {
            return null;
        }
        return parse(() -> MAPPER.readTree(line), file, lineNo);
    }

    private static Action parse(TreeReader reader, String file, int lineNo) {
        JsonNode root;
        try {
            root = reader.read();
        } catch (JsonProcessingException e) {
            throw new TarnException(ErrorCode.CORRUPT_LOG,
                    "Malformed JSON in Delta log file " + file + " line " + lineNo + ": " + e.getOriginalMessage(), e);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e); // in-memory input: not reached
        }
        if (root == null || !root.isObject()) {
            throw new TarnException(ErrorCode.CORRUPT_LOG,
                    "Delta log file " + file + " line " + lineNo + " is not a JSON object");
        }
        try {
            return parseAction(root);
        } catch (MalformedAction | IllegalArgumentException | NullPointerException e) {
            throw new TarnException(ErrorCode.CORRUPT_LOG,
                    "Malformed action in Delta log file " + file + " line " + lineNo + ": " + e.getMessage(), e);
        }
    }

    /** Parses the first known action of an object such as {@code {"add": {...}}}; null when there is none. */
    public static Action parseAction(JsonNode root) {
        Iterator<Map.Entry<String, JsonNode>> it = root.properties().iterator();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (v == null || v.isNull()) {
                continue;
            }
            Action a = switch (e.getKey()) {
                case "add" -> add(obj(v, "add"));
                case "remove" -> remove(obj(v, "remove"));
                case "metaData" -> metadata(obj(v, "metaData"));
                case "protocol" -> protocol(obj(v, "protocol"));
                case "commitInfo" -> v.isObject() ? commitInfo(v) : null;
                case "txn" -> txn(obj(v, "txn"));
                case "domainMetadata" -> domainMetadata(obj(v, "domainMetadata"));
                case "cdc" -> cdc(obj(v, "cdc"));
                case "checkpointMetadata" -> checkpointMetadata(obj(v, "checkpointMetadata"));
                case "sidecar" -> sidecar(obj(v, "sidecar"));
                default -> null;
            };
            if (a != null) {
                return a;
            }
        }
        return null;
    }

    /** A required field is missing or has the wrong type. */
    static final class MalformedAction extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MalformedAction(String message) {
            super(message);
        }
    }

    private static JsonNode obj(JsonNode v, String action) {
        if (!v.isObject()) {
            throw new MalformedAction("'" + action + "' is not an object: " + v);
        }
        return v;
    }

    private static JsonNode field(JsonNode n, String name, boolean required) {
        JsonNode v = n.get(name);
        if (v == null || v.isNull()) {
            if (required) {
                throw new MalformedAction("required field '" + name + "' is missing in " + n);
            }
            return null;
        }
        return v;
    }

    static String text(JsonNode n, String name, boolean required) {
        JsonNode v = field(n, name, required);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            throw new MalformedAction("field '" + name + "' must be a string, got " + v);
        }
        return v.asText();
    }

    static Long longValue(JsonNode n, String name, boolean required) {
        JsonNode v = field(n, name, required);
        if (v == null) {
            return null;
        }
        if (v.isIntegralNumber()) {
            return v.asLong();
        }
        if (v.isTextual()) {
            try {
                return Long.parseLong(v.asText().trim());
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        throw new MalformedAction("field '" + name + "' must be an integer, got " + v);
    }

    static Boolean bool(JsonNode n, String name, boolean required) {
        JsonNode v = field(n, name, required);
        if (v == null) {
            return null;
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isTextual() && (v.asText().equalsIgnoreCase("true") || v.asText().equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(v.asText());
        }
        throw new MalformedAction("field '" + name + "' must be a boolean, got " + v);
    }

    /** A string map whose values may be null (partition values). */
    static Map<String, String> stringMap(JsonNode n, String name, boolean required) {
        JsonNode v = field(n, name, required);
        if (v == null) {
            return null;
        }
        if (!v.isObject()) {
            throw new MalformedAction("field '" + name + "' must be an object, got " + v);
        }
        Map<String, String> out = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = v.properties().iterator();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode x = e.getValue();
            out.put(e.getKey(), x == null || x.isNull() ? null : x.isTextual() ? x.asText() : x.toString());
        }
        return out;
    }

    static Set<String> stringSet(JsonNode n, String name) {
        JsonNode v = field(n, name, false);
        if (v == null) {
            return null;
        }
        if (!v.isArray()) {
            throw new MalformedAction("field '" + name + "' must be an array, got " + v);
        }
        Set<String> out = new LinkedHashSet<>();
        v.forEach(x -> out.add(x.asText()));
        return out;
    }

    private static int intValue(JsonNode n, String name) {
        Long v = longValue(n, name, true);
        if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
            throw new MalformedAction("field '" + name + "' is out of range: " + v);
        }
        return v.intValue();
    }

    static DeletionVectorDescriptor dv(JsonNode n) {
        JsonNode v = field(n, "deletionVector", false);
        if (v == null) {
            return null;
        }
        obj(v, "deletionVector");
        Long offset = longValue(v, "offset", false);
        return new DeletionVectorDescriptor(
                DeletionVectorDescriptor.StorageType.fromCode(text(v, "storageType", true)),
                text(v, "pathOrInlineDv", true),
                offset == null ? null : offset.intValue(),
                intValue(v, "sizeInBytes"),
                longValue(v, "cardinality", true),
                longValue(v, "maxRowIndex", false));
    }

    private static AddFile add(JsonNode n) {
        Map<String, String> pv = stringMap(n, "partitionValues", false);
        return new AddFile(text(n, "path", true), pv == null ? Map.of() : pv, longValue(n, "size", true),
                longValue(n, "modificationTime", true), orFalse(bool(n, "dataChange", false)), statsText(n),
                stringMap(n, "tags", false), dv(n), longValue(n, "baseRowId", false),
                longValue(n, "defaultRowCommitVersion", false), text(n, "clusteringProvider", false));
    }

    private static String statsText(JsonNode n) {
        JsonNode v = n.get("stats");
        if (v == null || v.isNull()) {
            return null;
        }
        return v.isTextual() ? v.asText() : v.toString();
    }

    private static boolean orFalse(Boolean b) {
        return b != null && b;
    }

    private static RemoveFile remove(JsonNode n) {
        return new RemoveFile(text(n, "path", true), longValue(n, "deletionTimestamp", false),
                orFalse(bool(n, "dataChange", false)), bool(n, "extendedFileMetadata", false),
                stringMap(n, "partitionValues", false), longValue(n, "size", false), stringMap(n, "tags", false),
                dv(n), longValue(n, "baseRowId", false), longValue(n, "defaultRowCommitVersion", false), statsText(n));
    }

    private static Metadata metadata(JsonNode n) {
        JsonNode format = field(n, "format", false);
        Format f = Format.PARQUET;
        if (format != null) {
            obj(format, "format");
            String provider = text(format, "provider", false);
            Map<String, String> options = stringMap(format, "options", false);
            f = new Format(provider == null ? "parquet" : provider, options == null ? Map.of() : nonNull(options));
        }
        JsonNode pcs = field(n, "partitionColumns", false);
        List<String> partitionColumns = new ArrayList<>();
        if (pcs != null) {
            if (!pcs.isArray()) {
                throw new MalformedAction("field 'partitionColumns' must be an array, got " + pcs);
            }
            pcs.forEach(x -> partitionColumns.add(x.asText()));
        }
        Map<String, String> conf = stringMap(n, "configuration", false);
        return new Metadata(text(n, "id", true), text(n, "name", false), text(n, "description", false), f,
                text(n, "schemaString", true), partitionColumns, conf == null ? Map.of() : nonNull(conf),
                longValue(n, "createdTime", false));
    }

    private static Map<String, String> nonNull(Map<String, String> m) {
        m.values().removeIf(java.util.Objects::isNull);
        return m;
    }

    private static Protocol protocol(JsonNode n) {
        return new Protocol(intValue(n, "minReaderVersion"), intValue(n, "minWriterVersion"),
                stringSet(n, "readerFeatures"), stringSet(n, "writerFeatures"));
    }

    private static CommitInfo commitInfo(JsonNode n) {
        // commitInfo is free-form (PROTOCOL.md "Commit Provenance Information"): read leniently, never fail.
        return new CommitInfo(lenientLong(n, "inCommitTimestamp"), lenientLong(n, "timestamp"),
                lenientText(n, "operation"), lenientMap(n, "operationParameters"), lenientLong(n, "readVersion"),
                lenientText(n, "isolationLevel"),
                n.path("isBlindAppend").isBoolean() ? n.get("isBlindAppend").asBoolean() : null,
                lenientMap(n, "operationMetrics"), lenientText(n, "engineInfo"), lenientText(n, "txnId"));
    }

    private static Long lenientLong(JsonNode n, String name) {
        JsonNode v = n.get(name);
        return v != null && v.isIntegralNumber() ? v.asLong() : null;
    }

    private static String lenientText(JsonNode n, String name) {
        JsonNode v = n.get(name);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    private static Map<String, String> lenientMap(JsonNode n, String name) {
        JsonNode v = n.get(name);
        if (v == null || !v.isObject()) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        v.properties().forEach(e -> {
            if (!e.getValue().isNull()) {
                out.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString());
            }
        });
        return out;
    }

    private static SetTransaction txn(JsonNode n) {
        return new SetTransaction(text(n, "appId", true), longValue(n, "version", true), longValue(n, "lastUpdated", false));
    }

    private static DomainMetadata domainMetadata(JsonNode n) {
        return new DomainMetadata(text(n, "domain", true), text(n, "configuration", true),
                orFalse(bool(n, "removed", false)));
    }

    private static AddCdcFile cdc(JsonNode n) {
        Map<String, String> pv = stringMap(n, "partitionValues", false);
        return new AddCdcFile(text(n, "path", true), pv == null ? Map.of() : pv, longValue(n, "size", true),
                orFalse(bool(n, "dataChange", false)), stringMap(n, "tags", false));
    }

    private static CheckpointMetadata checkpointMetadata(JsonNode n) {
        return new CheckpointMetadata(longValue(n, "version", true), stringMap(n, "tags", false));
    }

    private static Sidecar sidecar(JsonNode n) {
        Long mtime = longValue(n, "modificationTime", false);
        return new Sidecar(text(n, "path", true), longValue(n, "sizeInBytes", true), mtime == null ? 0 : mtime,
                stringMap(n, "tags", false));
    }

    // ---------------------------------------------------------------- writing

    /** One log line (without newline) for an action, fields in the order delta-spark writes them. */
    public static String toLine(Action action) {
        ObjectNode root = F.objectNode();
        root.set(action.actionName(), toNode(action));
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialize " + action, e);
        }
    }

    public static ObjectNode toNode(Action action) {
        ObjectNode o = F.objectNode();
        if (action instanceof AddFile a) {
            o.put("path", a.path());
            o.set("partitionValues", map(a.partitionValues()));
            o.put("size", a.size());
            o.put("modificationTime", a.modificationTime());
            o.put("dataChange", a.dataChange());
            if (a.stats() != null) {
                o.put("stats", a.stats());
            }
            if (!a.tags().isEmpty()) {
                o.set("tags", map(a.tags()));
            }
            if (a.deletionVector() != null) {
                o.set("deletionVector", dvNode(a.deletionVector()));
            }
            putIfNotNull(o, "baseRowId", a.baseRowId());
            putIfNotNull(o, "defaultRowCommitVersion", a.defaultRowCommitVersion());
            if (a.clusteringProvider() != null) {
                o.put("clusteringProvider", a.clusteringProvider());
            }
        } else if (action instanceof RemoveFile r) {
            o.put("path", r.path());
            putIfNotNull(o, "deletionTimestamp", r.deletionTimestamp());
            o.put("dataChange", r.dataChange());
            if (r.extendedFileMetadata() != null) {
                o.put("extendedFileMetadata", r.extendedFileMetadata());
            }
            if (r.partitionValues() != null) {
                o.set("partitionValues", map(r.partitionValues()));
            }
            putIfNotNull(o, "size", r.size());
            if (!r.tags().isEmpty()) {
                o.set("tags", map(r.tags()));
            }
            if (r.deletionVector() != null) {
                o.set("deletionVector", dvNode(r.deletionVector()));
            }
            putIfNotNull(o, "baseRowId", r.baseRowId());
            putIfNotNull(o, "defaultRowCommitVersion", r.defaultRowCommitVersion());
            if (r.stats() != null) {
                o.put("stats", r.stats());
            }
        } else if (action instanceof Metadata m) {
            o.put("id", m.id());
            if (m.name() != null) {
                o.put("name", m.name());
            }
            if (m.description() != null) {
                o.put("description", m.description());
            }
            ObjectNode format = o.putObject("format");
            format.put("provider", m.format().provider());
            format.set("options", map(m.format().options()));
            o.put("schemaString", m.schemaString());
            ArrayNode pcs = o.putArray("partitionColumns");
            m.partitionColumns().forEach(pcs::add);
            o.set("configuration", map(m.configuration()));
            putIfNotNull(o, "createdTime", m.createdTime());
        } else if (action instanceof Protocol p) {
            o.put("minReaderVersion", p.minReaderVersion());
            o.put("minWriterVersion", p.minWriterVersion());
            if (p.hasReaderFeatures()) {
                ArrayNode rf = o.putArray("readerFeatures");
                p.readerFeatures().forEach(rf::add);
            }
            if (p.hasWriterFeatures()) {
                ArrayNode wf = o.putArray("writerFeatures");
                p.writerFeatures().forEach(wf::add);
            }
        } else if (action instanceof CommitInfo c) {
            putIfNotNull(o, "inCommitTimestamp", c.inCommitTimestamp());
            putIfNotNull(o, "timestamp", c.timestamp());
            if (c.operation() != null) {
                o.put("operation", c.operation());
            }
            o.set("operationParameters", map(c.operationParameters()));
            putIfNotNull(o, "readVersion", c.readVersion());
            if (c.isolationLevel() != null) {
                o.put("isolationLevel", c.isolationLevel());
            }
            if (c.isBlindAppend() != null) {
                o.put("isBlindAppend", c.isBlindAppend());
            }
            if (!c.operationMetrics().isEmpty()) {
                o.set("operationMetrics", map(c.operationMetrics()));
            }
            if (c.engineInfo() != null) {
                o.put("engineInfo", c.engineInfo());
            }
            if (c.txnId() != null) {
                o.put("txnId", c.txnId());
            }
        } else if (action instanceof SetTransaction t) {
            o.put("appId", t.appId());
            o.put("version", t.version());
            putIfNotNull(o, "lastUpdated", t.lastUpdated());
        } else if (action instanceof DomainMetadata d) {
            o.put("domain", d.domain());
            o.put("configuration", d.configuration());
            o.put("removed", d.removed());
        } else if (action instanceof AddCdcFile c) {
            o.put("path", c.path());
            o.set("partitionValues", map(c.partitionValues()));
            o.put("size", c.size());
            o.put("dataChange", c.dataChange());
            if (!c.tags().isEmpty()) {
                o.set("tags", map(c.tags()));
            }
        } else if (action instanceof CheckpointMetadata c) {
            o.put("version", c.version());
            if (!c.tags().isEmpty()) {
                o.set("tags", map(c.tags()));
            }
        } else if (action instanceof Sidecar s) {
            o.put("path", s.path());
            o.put("sizeInBytes", s.sizeInBytes());
            o.put("modificationTime", s.modificationTime());
            if (!s.tags().isEmpty()) {
                o.set("tags", map(s.tags()));
            }
        }
        return o;
    }

    private static void putIfNotNull(ObjectNode o, String name, Long value) {
        if (value != null) {
            o.put(name, value);
        }
    }

    private static ObjectNode map(Map<String, String> m) {
        ObjectNode o = F.objectNode();
        m.forEach((k, v) -> {
            if (v == null) {
                o.putNull(k);
            } else {
                o.put(k, v);
            }
        });
        return o;
    }

    private static ObjectNode dvNode(DeletionVectorDescriptor dv) {
        ObjectNode o = F.objectNode();
        o.put("storageType", dv.storageType().code());
        o.put("pathOrInlineDv", dv.pathOrInlineDv());
        if (dv.offset() != null) {
            o.put("offset", dv.offset());
        }
        o.put("sizeInBytes", dv.sizeInBytes());
        o.put("cardinality", dv.cardinality());
        if (dv.maxRowIndex() != null) {
            o.put("maxRowIndex", dv.maxRowIndex());
        }
        return o;
    }
}

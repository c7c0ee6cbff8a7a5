package dev.tarn.txlog.types;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes the JSON schema serialization of PROTOCOL.md ("Schema Serialization Format"), the form Spark
 * writes into {@code metaData.schemaString}.
 */
public final class DataTypeJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern DECIMAL = Pattern.compile("decimal\\(\\s*(\\d+)\\s*,\\s*(-?\\d+)\\s*\\)");

    private DataTypeJson() {}

    public static StructType parseSchema(String schemaString) {
        try {
            DataType t = parse(MAPPER.readTree(schemaString));
            if (!(t instanceof StructType s)) {
                throw new TarnException(ErrorCode.CORRUPT_LOG, "Table schema is not a struct: " + schemaString);
            }
            return s;
        } catch (JsonProcessingException e) {
            throw new TarnException(ErrorCode.CORRUPT_LOG, "Table schema is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    public static DataType parse(JsonNode node) {
        if (node.isTextual()) {
            String name = node.asText();
            Matcher m = DECIMAL.matcher(name);
            if (m.matches()) {
                return new DecimalType(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
            }
            if (name.equals("decimal")) {
                return new DecimalType(10, 0); // Spark's default decimal
            }
            return PrimitiveType.fromDeltaName(name).orElseThrow(() -> new TarnException(
                    ErrorCode.UNSUPPORTED_FEATURE, "Unsupported column type in table schema: " + name));
        }
        if (!node.isObject() || !node.has("type")) {
            throw new TarnException(ErrorCode.CORRUPT_LOG, "Malformed type in table schema: " + node);
        }
        String kind = node.get("type").asText();
        return switch (kind) {
            case "struct" -> {
                List<StructField> fields = new ArrayList<>();
                for (JsonNode f : node.path("fields")) {
                    fields.add(new StructField(
                            requiredText(f, "name"),
                            parse(required(f, "type")),
                            f.path("nullable").asBoolean(true),
                            toMap(f.get("metadata"))));
                }
                yield new StructType(fields);
            }
            case "array" -> new ArrayType(parse(required(node, "elementType")), node.path("containsNull").asBoolean(true));
            case "map" -> new MapType(parse(required(node, "keyType")), parse(required(node, "valueType")),
                    node.path("valueContainsNull").asBoolean(true));
            default -> throw new TarnException(ErrorCode.UNSUPPORTED_FEATURE, "Unsupported column type in table schema: " + kind);
        };
    }

    private static JsonNode required(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new TarnException(ErrorCode.CORRUPT_LOG, "Schema entry lacks '" + field + "': " + n);
        }
        return v;
    }

    private static String requiredText(JsonNode n, String field) {
        return required(n, field).asText();
    }

    private static Map<String, Object> toMap(JsonNode metadata) {
        if (metadata == null || metadata.isNull()) {
            return Map.of();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = metadata.properties().iterator();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), toJava(e.getValue()));
        }
        return out;
    }

    private static Object toJava(JsonNode v) {
        if (v.isTextual()) {
            return v.asText();
        }
        if (v.isIntegralNumber()) {
            return v.asLong();
        }
        if (v.isNumber()) {
            return v.asDouble();
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isArray()) {
            List<Object> l = new ArrayList<>();
            v.forEach(x -> l.add(toJava(x)));
            return l;
        }
        if (v.isObject()) {
            return toMap(v);
        }
        return null;
    }

    /** Serializes a schema exactly in the shape Spark writes (field order: name, type, nullable, metadata). */
    public static String toJson(StructType schema) {
        try {
            return MAPPER.writeValueAsString(toNode(schema));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static JsonNode toNode(DataType type) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (type instanceof PrimitiveType p) {
            return f.textNode(p == PrimitiveType.VOID ? "void" : p.simpleString());
        }
        if (type instanceof DecimalType d) {
            return f.textNode(d.simpleString());
        }
        ObjectNode o = f.objectNode();
        if (type instanceof ArrayType a) {
            o.put("type", "array");
            o.set("elementType", toNode(a.elementType()));
            o.put("containsNull", a.containsNull());
        } else if (type instanceof MapType m) {
            o.put("type", "map");
            o.set("keyType", toNode(m.keyType()));
            o.set("valueType", toNode(m.valueType()));
            o.put("valueContainsNull", m.valueContainsNull());
        } else if (type instanceof StructType s) {
            o.put("type", "struct");
            ArrayNode fields = o.putArray("fields");
            for (StructField field : s.fields()) {
                ObjectNode fn = fields.addObject();
                fn.put("name", field.name());
                fn.set("type", toNode(field.type()));
                fn.put("nullable", field.nullable());
                fn.set("metadata", MAPPER.valueToTree(field.metadata()));
            }
        }
        return o;
    }
}

package dev.tarn.txlog.internal.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The {@code checksum} of {@code _last_checkpoint} (PROTOCOL.md "JSON checksum"): the MD5 digest, as 32 lowercase
 * hex characters, of the canonical form of the JSON without its top-level {@code checksum} key. The canonical form
 * lists every leaf as {@code path=value}, path segments joined by {@code +} (object keys quoted and URL-encoded,
 * array positions as numbers), string values quoted and URL-encoded, pairs sorted by the UTF-8 bytes of their
 * paths and joined by {@code ,} ("How to URL encode keys and string values").
 */
public final class JsonChecksum {
    private JsonChecksum() {}

    public static String of(JsonNode root) {
        return md5(canonical(root));
    }

    /** The canonical form itself (for tests and error messages). */
    static String canonical(JsonNode root) {
        List<String[]> pairs = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = root.properties().iterator();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getKey().equals("checksum")) {
                collect(quoted(e.getKey()), e.getValue(), pairs);
            }
        }
        pairs.sort((a, b) -> Arrays.compareUnsigned(a[0].getBytes(StandardCharsets.UTF_8),
                b[0].getBytes(StandardCharsets.UTF_8)));
        StringBuilder canonical = new StringBuilder();
        for (String[] p : pairs) {
            if (canonical.length() > 0) {
                canonical.append(',');
            }
            canonical.append(p[0]).append('=').append(p[1]);
        }
        return canonical.toString();
    }

    private static void collect(String path, JsonNode n, List<String[]> out) {
        if (n.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = n.properties().iterator();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                collect(path + "+" + quoted(e.getKey()), e.getValue(), out);
            }
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                collect(path + "+" + i, n.get(i), out);
            }
        } else if (n.isTextual()) {
            out.add(new String[] {path, quoted(n.asText())});
        } else {
            out.add(new String[] {path, n.toString()}); // null, true, false and numbers as written
        }
    }

    private static String quoted(String s) {
        return "\"" + encode(s) + "\"";
    }

    /** Percent-encodes every UTF-8 octet except {@code a-z A-Z 0-9 - . _ ~}, with uppercase hex. */
    static String encode(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is a required JDK algorithm", e);
        }
    }
}

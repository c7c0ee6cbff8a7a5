package dev.tarn.testdata;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Compares actual rows with expected rows as multisets, the way the conformance README asks: numbers numerically
 * (floats within a relative 1e-6, since float32 values print differently across languages), maps as sets of pairs,
 * everything else exactly.
 */
public final class RowMatcher {
    private RowMatcher() {}

    /** Null when the multisets match; otherwise a description of the first difference found. */
    public static String difference(List<JsonNode> expected, List<JsonNode> actual) {
        if (expected.size() != actual.size()) {
            return "expected " + expected.size() + " rows but got " + actual.size() + firstUnmatched(expected, actual);
        }
        String d = firstUnmatched(expected, actual);
        return d.isEmpty() ? null : d;
    }

    private static String firstUnmatched(List<JsonNode> expected, List<JsonNode> actual) {
        List<JsonNode> remaining = new ArrayList<>(actual);
        for (JsonNode e : expected) {
            boolean found = false;
            for (Iterator<JsonNode> it = remaining.iterator(); it.hasNext(); ) {
                if (equal(e, it.next())) {
                    it.remove();
                    found = true;
                    break;
                }
            }
            if (!found) {
                return "; expected row not found: " + e + (remaining.isEmpty() ? "" : "; e.g. unmatched actual row: " + remaining.get(0));
            }
        }
        return remaining.isEmpty() ? "" : "; unexpected row: " + remaining.get(0);
    }

    public static boolean equal(JsonNode e, JsonNode a) {
        if (e == null || a == null) {
            return e == a;
        }
        if (e.isNumber() && a.isNumber()) {
            if (e.isIntegralNumber() && a.isIntegralNumber()) {
                return e.bigIntegerValue().equals(a.bigIntegerValue());
            }
            double x = e.doubleValue();
            double y = a.doubleValue();
            return x == y || Math.abs(x - y) <= 1e-6 * Math.max(Math.abs(x), Math.abs(y));
        }
        if (e.isArray() && a.isArray()) {
            if (e.size() != a.size()) {
                return false;
            }
            if (isPairList(e) && isPairList(a)) {
                return difference(list(e), list(a)) == null;
            }
            for (int i = 0; i < e.size(); i++) {
                if (!equal(e.get(i), a.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (e.isObject() && a.isObject()) {
            if (e.size() != a.size()) {
                return false;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = e.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (!equal(f.getValue(), a.get(f.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        return e.equals(a);
    }

    // Map values are encoded as arrays of [key, value] pairs; order among pairs does not matter.
    private static boolean isPairList(JsonNode n) {
        if (n.isEmpty()) {
            return false;
        }
        for (JsonNode x : n) {
            if (!x.isArray() || x.size() != 2) {
                return false;
            }
        }
        return true;
    }

    private static List<JsonNode> list(JsonNode n) {
        List<JsonNode> l = new ArrayList<>();
        n.forEach(l::add);
        return l;
    }
}

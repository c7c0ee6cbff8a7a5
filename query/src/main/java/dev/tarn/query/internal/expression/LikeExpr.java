package dev.tarn.query.internal.expression;

import static java.util.Objects.requireNonNull;

import dev.tarn.txlog.types.DataType;
import dev.tarn.txlog.types.PrimitiveType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * {@code s [NOT] LIKE 'pattern' [ESCAPE 'c']} with a constant pattern made of literal text and {@code %} only (the
 * TPC-H shapes {@code 'PROMO%'}, {@code '%BRASS'}, {@code '%green%'}, {@code '%special%requests%'}): matched on the
 * UTF-8 bytes in the vector without decoding strings. Literal bytes match exactly and {@code %} spans any bytes, so
 * byte matching is code point matching here. Patterns with {@code _} take the general LIKE path.
 */
final class LikeExpr implements Expr {
    private final Expr input;
    private final String pattern;
    private final boolean negated;
    /** The pattern's literal runs between {@code %}s; one run means no {@code %} (equality). */
    private final byte[][] parts;
    /** Each part's first eight bytes as a little-endian long, and the mask of the bytes it has. */
    private final long[] words;
    private final long[] masks;
    /**
     * Per part, the position (within its first eight bytes) of the byte the search looks for: the rarest in text,
     * so fewer positions need a compare ('%special%requests%' searches for 'p' and 'q', not for 's' and 'r').
     */
    private final int[] rare;

    private static final boolean LITTLE_ENDIAN = java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    private LikeExpr(Expr input, String pattern, List<String> parts, boolean negated) {
        this.input = requireNonNull(input, "input is null");
        this.pattern = requireNonNull(pattern, "pattern is null");
        this.negated = negated;
        this.parts = new byte[parts.size()][];
        this.words = new long[parts.size()];
        this.masks = new long[parts.size()];
        this.rare = new int[parts.size()];
        for (int i = 0; i < parts.size(); i++) {
            byte[] bytes = parts.get(i).getBytes(StandardCharsets.UTF_8);
            this.parts[i] = bytes;
            int k = Math.min(8, bytes.length);
            for (int j = 0; j < k; j++) {
                words[i] |= (bytes[j] & 0xFFL) << (8 * j);
                if (commonness(bytes[j]) < commonness(bytes[rare[i]])) {
                    rare[i] = j;
                }
            }
            masks[i] = k == 8 ? -1L : (1L << (8 * k)) - 1;
        }
    }

    /** The kernel for a pattern without {@code _}, or null when the pattern needs the general path. */
    static LikeExpr of(Expr input, String pattern, String escape, boolean negated) {
        if (escape != null && escape.length() != 1) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (escape != null && c == escape.charAt(0)) {
                if (++i >= pattern.length()) {
                    return null;
                }
                current.append(pattern.charAt(i));
            } else if (c == '%') {
                parts.add(current.toString());
                current.setLength(0);
            } else if (c == '_') {
                return null;
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        return new LikeExpr(input, pattern, parts, negated);
    }

    @Override
    public DataType type() {
        return PrimitiveType.BOOLEAN;
    }

    @Override
    public String describe() {
        return (negated ? "NOT LIKE(" : "LIKE(") + input.describe() + ", '" + pattern + "')";
    }

    @Override
    public Column evaluate(VectorSchemaRoot batch, EvalContext context) {
        return Kernels.run(List.of(input), PrimitiveType.BOOLEAN, batch, context, this::loop);
    }

    private void loop(FieldVector[] in, FieldVector result, int n) {
        BitVector out = (BitVector) result;
        VarCharVector strings = (VarCharVector) in[0];
        if (n == 0) {
            return;
        }
        ArrowBuf data = strings.getDataBuffer();
        ArrowBuf offsets = strings.getOffsetBuffer();
        // Offsets only grow, so checking the first and the last bounds every value: the loop then reads the bytes at
        // their addresses instead of through a bounds-checked buffer per byte.
        if (offsets.capacity() < (long) (n + 1) * 4 || offsets.getInt(0) < 0
                || offsets.getInt((long) n * 4) > data.capacity()) {
            throw new IllegalStateException("string vector holds fewer than " + n + " values");
        }
        long address = data.memoryAddress();
        // Eight-byte reads stay inside the buffer: at most this position starts one.
        long wordLimit = data.capacity() - 8;
        boolean nulls = strings.getNullCount() > 0;
        int start = offsets.getInt(0);
        for (int i = 0; i < n; i++) {
            int end = offsets.getInt((long) (i + 1) * 4);
            if (nulls && strings.isNull(i)) {
                out.setNull(i);
            } else {
                out.set(i, end >= start && matches(address, wordLimit, start, end) != negated ? 1 : 0);
            }
            start = end;
        }
    }

    private boolean matches(long address, long wordLimit, int start, int end) {
        if (parts.length == 1) {
            byte[] whole = parts[0];
            return end - start == whole.length && regionEquals(address, start, whole);
        }
        byte[] first = parts[0];
        byte[] last = parts[parts.length - 1];
        if (end - start < first.length + last.length) {
            return false;
        }
        if (!regionEquals(address, start, first) || !regionEquals(address, end - last.length, last)) {
            return false;
        }
        int from = start + first.length;
        int to = end - last.length;
        for (int p = 1; p < parts.length - 1; p++) {
            int at = indexOf(address, wordLimit, from, to, p);
            if (at < 0) {
                return false;
            }
            from = at + parts[p].length;
        }
        return true;
    }

    /** Lowercase letters and space, most frequent in text first; other bytes rank below them all. */
    private static final String COMMON = "zqjxkvbywgpfmucdlhrsnioate ";

    /** How often {@code b} occurs in typical text, as a rank (higher is more common). */
    private static int commonness(byte b) {
        return COMMON.indexOf((char) (b & 0xFF)) + 1;
    }

    private static boolean regionEquals(long address, int at, byte[] bytes) {
        for (int j = 0; j < bytes.length; j++) {
            if (MemoryUtil.getByte(address + at + j) != bytes[j]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The first position in {@code [from, to)} where part {@code p} starts and fits, or -1. On little-endian
     * machines eight bytes are read at once: a bit trick marks the bytes equal to the part's rarest byte (at
     * {@link #rare} within it), and each marked position compares up to eight bytes of the part with one masked read.
     */
    private int indexOf(long address, long wordLimit, int from, int to, int p) {
        byte[] needle = parts[p];
        if (needle.length == 0) {
            return from;
        }
        int last = to - needle.length;
        int i = from;
        if (LITTLE_ENDIAN) {
            int r = rare[p];
            long heads = (needle[r] & 0xFFL) * ONES;
            long word = words[p];
            long mask = masks[p];
            boolean wide = needle.length > 8;
            // Words are read at i + r, where the rare byte of a match starting at i would be.
            for (; i <= last && i + r <= wordLimit; i += 8) {
                long x = MemoryUtil.getLong(address + i + r) ^ heads;
                // The high bit of each zero byte of x (and possibly of bytes above one): candidates to check.
                long found = (x - ONES) & ~x & HIGHS;
                while (found != 0) {
                    int at = i + (Long.numberOfTrailingZeros(found) >>> 3);
                    if (at > last) {
                        return -1;
                    }
                    if (at <= wordLimit ? (MemoryUtil.getLong(address + at) & mask) == word
                            && (!wide || regionEquals(address, at, needle)) : regionEquals(address, at, needle)) {
                        return at;
                    }
                    found &= found - 1;
                }
            }
        }
        byte head = needle[0];
        for (; i <= last; i++) {
            if (MemoryUtil.getByte(address + i) == head && regionEquals(address, i, needle)) {
                return i;
            }
        }
        return -1;
    }
}

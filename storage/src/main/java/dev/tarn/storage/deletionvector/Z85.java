package dev.tarn.storage.deletionvector;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import java.nio.ByteBuffer;
import java.util.UUID;

/**
 * The Z85 (ZeroMQ Base85) encoding Delta uses in deletion vector descriptors (PROTOCOL.md, "Deletion Vector
 * Descriptor Schema"): a DV file's UUID is 16 bytes encoded as 20 characters, an inline DV is its serialized bitmap.
 * Every 4 bytes (big-endian) become 5 characters. Input whose length is not a multiple of 4 is padded with zero
 * bytes; the decoder is told the real length and drops the padding.
 *
 * <p>When decoding, a final block that starts with {@code '#'} (never valid in standard Z85: its value would exceed
 * 32 bits) is read in the "padded tail" convention of some non-JVM writers: {@code k} '#' characters then
 * {@code 5-k} digits that encode {@code 4-k} bytes. Tarn never writes that form.
 */
public final class Z85 {
    private static final char[] ALPHABET =
            "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#".toCharArray();
    private static final int[] DECODE = new int[128];

    static {
        java.util.Arrays.fill(DECODE, -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            DECODE[ALPHABET[i]] = i;
        }
    }

    private Z85() {}

    /** Encodes bytes, padding with zero bytes to a multiple of 4; the result has 5 characters per 4 bytes. */
    public static String encode(byte[] data) {
        requireNonNull(data, "data is null");
        int blocks = (data.length + 3) / 4;
        StringBuilder out = new StringBuilder(blocks * 5);
        char[] chunk = new char[5];
        for (int b = 0; b < blocks; b++) {
            long value = 0;
            for (int i = 0; i < 4; i++) {
                int idx = b * 4 + i;
                value = (value << 8) | (idx < data.length ? data[idx] & 0xff : 0);
            }
            for (int i = 4; i >= 0; i--) {
                chunk[i] = ALPHABET[(int) (value % 85)];
                value /= 85;
            }
            out.append(chunk);
        }
        return out.toString();
    }

    /** Decodes to exactly {@code length} bytes (the encoded form may carry up to 3 padding bytes). */
    public static byte[] decode(String text, int length) {
        requireNonNull(text, "text is null");
        if (length < 0) {
            throw invalid("negative decoded length " + length);
        }
        if (text.length() % 5 != 0) {
            throw invalid("length " + text.length() + " is not a multiple of 5");
        }
        int blocks = text.length() / 5;
        if ((long) blocks * 4 < length || (long) blocks * 4 - length > 3) {
            throw invalid(text.length() + " characters cannot hold exactly " + length + " bytes");
        }
        ByteBuffer out = ByteBuffer.allocate(blocks * 4);
        for (int b = 0; b < blocks; b++) {
            int start = b * 5;
            if (b == blocks - 1 && text.charAt(start) == '#') {
                return decodePaddedTail(text, start, out, length);
            }
            long value = 0;
            for (int i = 0; i < 5; i++) {
                value = value * 85 + digit(text.charAt(start + i));
            }
            if (value > 0xFFFF_FFFFL) {
                throw invalid("block " + b + " exceeds 32 bits");
            }
            out.putInt((int) value);
        }
        byte[] result = new byte[length];
        System.arraycopy(out.array(), 0, result, 0, length);
        return result;
    }

    private static byte[] decodePaddedTail(String text, int start, ByteBuffer out, int length) {
        int k = 0;
        while (k < 5 && text.charAt(start + k) == '#') {
            k++;
        }
        int bytes = 4 - k;
        if (k > 3 || out.position() + bytes != length) {
            throw invalid("padded final block does not hold the remaining " + (length - out.position()) + " bytes");
        }
        long value = 0;
        for (int i = k; i < 5; i++) {
            value = value * 85 + digit(text.charAt(start + i));
        }
        if (value >= 1L << (8 * bytes)) {
            throw invalid("padded final block exceeds " + bytes + " bytes");
        }
        byte[] result = new byte[length];
        System.arraycopy(out.array(), 0, result, 0, out.position());
        for (int i = 0; i < bytes; i++) {
            result[out.position() + i] = (byte) (value >>> (8 * (bytes - 1 - i)));
        }
        return result;
    }

    private static int digit(char c) {
        int d = c < 128 ? DECODE[c] : -1;
        if (d < 0) {
            throw invalid("character '" + c + "' is not in the Z85 alphabet");
        }
        return d;
    }

    /** A UUID as 20 characters: its 16 big-endian bytes (most significant half first). */
    public static String encodeUuid(UUID uuid) {
        ByteBuffer b = ByteBuffer.allocate(16);
        b.putLong(uuid.getMostSignificantBits());
        b.putLong(uuid.getLeastSignificantBits());
        return encode(b.array());
    }

    public static UUID decodeUuid(String text) {
        if (text.length() != 20) {
            throw invalid("an encoded UUID has 20 characters, got " + text.length());
        }
        ByteBuffer b = ByteBuffer.wrap(decode(text, 16));
        return new UUID(b.getLong(), b.getLong());
    }

    private static TarnException invalid(String what) {
        return new TarnException(ErrorCode.CORRUPT_DELETION_VECTOR, "Invalid Z85 text in deletion vector descriptor: " + what);
    }
}

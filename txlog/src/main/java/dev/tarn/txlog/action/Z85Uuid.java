package dev.tarn.txlog.action;

import java.util.UUID;

/** Decodes the 20-character Z85 form of a UUID used in deletion vector ids (PROTOCOL.md "Deletion Vector Format"). */
final class Z85Uuid {
    private static final String ALPHABET =
            "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";
    private static final int[] DECODE = new int[128];

    static {
        java.util.Arrays.fill(DECODE, -1);
        for (int i = 0; i < ALPHABET.length(); i++) {
            DECODE[ALPHABET.charAt(i)] = i;
        }
    }

    private Z85Uuid() {}

    static UUID decode(String encoded) {
        if (encoded.length() != 20) {
            throw new IllegalArgumentException("A Z85-encoded UUID has 20 characters: " + encoded);
        }
        byte[] bytes = new byte[16];
        for (int block = 0; block < 4; block++) {
            long value = 0;
            for (int i = 0; i < 5; i++) {
                char c = encoded.charAt(block * 5 + i);
                int d = c < 128 ? DECODE[c] : -1;
                if (d < 0) {
                    throw new IllegalArgumentException("Invalid Z85 character '" + c + "' in " + encoded);
                }
                value = value * 85 + d;
            }
            for (int i = 3; i >= 0; i--) {
                bytes[block * 4 + i] = (byte) (value & 0xff);
                value >>>= 8;
            }
        }
        long msb = 0;
        long lsb = 0;
        for (int i = 0; i < 8; i++) {
            msb = (msb << 8) | (bytes[i] & 0xff);
            lsb = (lsb << 8) | (bytes[8 + i] & 0xff);
        }
        return new UUID(msb, lsb);
    }
}

package dev.tarn.query.internal.execution;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import java.util.Locale;

/** Byte sizes as users write them ({@code 512MB}, {@code 2g}, {@code 1048576}) and as messages show them. */
public final class MemorySize {
    private MemorySize() {}

    /** Parses a size with an optional 1024-based suffix k, m, g, t (with or without B); {@code none} is no limit. */
    public static long parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT).replace(" ", "");
        if (s.equals("none") || s.equals("unlimited")) {
            return Long.MAX_VALUE;
        }
        if (s.endsWith("ib")) {
            s = s.substring(0, s.length() - 2);
        } else if (s.endsWith("b")) {
            s = s.substring(0, s.length() - 1);
        }
        long unit = 1;
        if (!s.isEmpty()) {
            switch (s.charAt(s.length() - 1)) {
                case 'k' -> unit = 1L << 10;
                case 'm' -> unit = 1L << 20;
                case 'g' -> unit = 1L << 30;
                case 't' -> unit = 1L << 40;
                default -> unit = 1;
            }
            if (unit > 1) {
                s = s.substring(0, s.length() - 1);
            }
        }
        try {
            long n = Long.parseLong(s);
            if (n <= 0) {
                throw new NumberFormatException();
            }
            return Math.multiplyExact(n, unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new TarnException(ErrorCode.INVALID_VALUE, "Invalid memory size '" + text
                    + "': expected a positive number of bytes with an optional suffix KB, MB, GB or TB, or 'none'", e);
        }
    }

    public static String format(long bytes) {
        if (bytes == Long.MAX_VALUE) {
            return "unlimited";
        }
        String[] units = {"bytes", "KB", "MB", "GB", "TB"};
        int u = 0;
        double v = bytes;
        while (v >= 1024 && u < units.length - 1 && bytes % (1L << (10 * (u + 1))) == 0) {
            v /= 1024;
            u++;
        }
        return u == 0 ? bytes + " bytes" : String.format(Locale.ROOT, "%d %s", (long) v, units[u]);
    }
}

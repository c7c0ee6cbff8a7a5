package dev.tarn.txlog.internal;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;

/**
 * File paths as the log stores them: {@code add.path} and {@code remove.path} are URIs, relative to the table root
 * or absolute (PROTOCOL.md "Add File and Remove File": "A relative path, from the root of the table, or an absolute
 * path to a file that should be added to the table. The path is a URI as specified by RFC 2396 URI Generic Syntax,
 * which needs to be decoded to get the data file path").
 */
public final class LogPaths {
    private LogPaths() {}

    /** Percent-decodes a log path; {@code file:} URIs become plain absolute paths; other schemes are kept. */
    public static String decode(String uriPath) {
        String p = uriPath;
        if (p.startsWith("file:")) {
            p = p.substring(5);
            if (p.startsWith("///")) {
                p = p.substring(2);
            } else if (p.startsWith("//")) {
                // file://host/path: keep the path part
                int slash = p.indexOf('/', 2);
                p = slash < 0 ? "/" : p.substring(slash);
            }
        }
        if (p.indexOf('%') < 0) {
            return p;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(p.length());
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '%' && i + 2 < p.length() && isHex(p.charAt(i + 1)) && isHex(p.charAt(i + 2))) {
                out.write(Integer.parseInt(p.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < p.length()) {
                    b = p.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                out.write(b, 0, b.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** Encodes a relative file path as a URI path, escaping what RFC 2396 does not allow (space, %, ...). */
    public static String encode(String relativePath) {
        try {
            return new URI(null, null, relativePath, null).getRawPath();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("Cannot encode path " + relativePath, e);
        }
    }

    /** True when a decoded log path is absolute (starts at the root or carries a scheme). */
    public static boolean isAbsolute(String decoded) {
        if (decoded.startsWith("/")) {
            return true;
        }
        int colon = decoded.indexOf(':');
        int slash = decoded.indexOf('/');
        return colon > 0 && (slash < 0 || colon < slash) && decoded.startsWith("://", colon);
    }

    /** The absolute location of a log path within a table. */
    public static String resolve(String tableLocation, String logPath) {
        String decoded = decode(logPath);
        if (isAbsolute(decoded)) {
            return decoded;
        }
        return tableLocation.endsWith("/") ? tableLocation + decoded : tableLocation + "/" + decoded;
    }

    /** Strips trailing slashes and a {@code file:} scheme from a table location. */
    public static String normalizeTableLocation(String location) {
        String l = location.startsWith("file:") ? decode(location) : location;
        while (l.length() > 1 && l.endsWith("/")) {
            l = l.substring(0, l.length() - 1);
        }
        return l;
    }
}

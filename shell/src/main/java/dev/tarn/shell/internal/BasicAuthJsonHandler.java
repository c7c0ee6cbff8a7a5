package dev.tarn.shell.internal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.apache.calcite.avatica.remote.Service;
import org.apache.calcite.avatica.server.AvaticaJsonHandler;
import org.eclipse.jetty.server.Request;

/**
 * Avatica's JSON handler behind HTTP BASIC authentication against a {@link PasswordFile}. Clients send their
 * credentials with every request, and PBKDF2 is deliberately slow, so credentials that verified once are remembered
 * for the server's lifetime as a keyed digest (never the password itself).
 */
final class BasicAuthJsonHandler extends AvaticaJsonHandler {
    private static final int MAX_REMEMBERED = 10_000;

    private final PasswordFile users;
    private final byte[] key = new byte[32];
    private final Set<String> verified = ConcurrentHashMap.newKeySet();

    BasicAuthJsonHandler(Service service, PasswordFile users) {
        super(service);
        this.users = requireNonNull(users, "users is null");
        new SecureRandom().nextBytes(key);
    }

    @Override
    public void handle(String target, Request baseRequest, HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        if (!authorized(request.getHeader("Authorization"))) {
            baseRequest.setHandled(true);
            response.setHeader("WWW-Authenticate", "Basic realm=\"tarn\", charset=\"UTF-8\"");
            response.sendError(HttpServletResponse.SC_UNAUTHORIZED, "Tarn: user name or password is wrong");
            return;
        }
        super.handle(target, baseRequest, request, response);
    }

    private boolean authorized(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return false;
        }
        String digest = digest(decoded);
        if (verified.contains(digest)) {
            return true;
        }
        boolean ok = users.verify(decoded.substring(0, colon), decoded.substring(colon + 1).toCharArray());
        if (ok && verified.size() < MAX_REMEMBERED) {
            verified.add(digest);
        }
        return ok;
    }

    private String digest(String credentials) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(key);
            md.update(credentials.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

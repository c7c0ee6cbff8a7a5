package dev.tarn.shell.internal;

import static java.util.Objects.requireNonNull;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.spec.KeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The users {@code tarn serve --auth-file} accepts: one {@code user:PBKDF2WithHmacSHA256:iterations:salt:hash} line
 * per user (salt and hash base64), each with its own random salt. Passwords are never stored. Lines starting with
 * {@code #} and blank lines are ignored.
 */
public final class PasswordFile {
    static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    /** OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256. */
    static final int ITERATIONS = 600_000;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, Entry> users;

    /** One user's stored hash. */
    record Entry(String user, int iterations, byte[] salt, byte[] hash) {
        Entry {
            requireNonNull(user, "user is null");
            requireNonNull(salt, "salt is null");
            requireNonNull(hash, "hash is null");
            if (iterations < 1) {
                throw new IllegalArgumentException("iterations must be positive, got " + iterations);
            }
        }

        String line() {
            Base64.Encoder b64 = Base64.getEncoder();
            return user + ":" + ALGORITHM + ":" + iterations + ":" + b64.encodeToString(salt) + ":"
                    + b64.encodeToString(hash);
        }
    }

    private PasswordFile(Map<String, Entry> users) {
        this.users = users;
    }

    /** Reads a password file; an unreadable or malformed file is an error naming the file and line. */
    public static PasswordFile read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new TarnException(ErrorCode.IO_ERROR, "Cannot read auth file " + file + ": " + e.getMessage(), e);
        }
        Map<String, Entry> users = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split(":", -1);
            String where = "auth file " + file + " line " + (i + 1);
            if (parts.length != 5 || parts[0].isEmpty()) {
                throw new TarnException(ErrorCode.INVALID_VALUE,
                        where + " is not user:algorithm:iterations:salt:hash");
            }
            if (!parts[1].equals(ALGORITHM)) {
                throw new TarnException(ErrorCode.INVALID_VALUE,
                        where + " uses algorithm " + parts[1] + "; only " + ALGORITHM + " is supported");
            }
            try {
                int iterations = Integer.parseInt(parts[2]);
                Base64.Decoder b64 = Base64.getDecoder();
                users.put(parts[0], new Entry(parts[0], iterations, b64.decode(parts[3]), b64.decode(parts[4])));
            } catch (IllegalArgumentException e) {
                throw new TarnException(ErrorCode.INVALID_VALUE, where + " has a bad iteration count or base64 value",
                        e);
            }
        }
        return new PasswordFile(users);
    }

    /** Reads the file if it exists, else an empty set of users. */
    static PasswordFile readOrEmpty(Path file) {
        return Files.exists(file) ? read(file) : new PasswordFile(new LinkedHashMap<>());
    }

    public boolean isEmpty() {
        return users.isEmpty();
    }

    /** Whether the password is the user's. Takes the same time for unknown users, so names cannot be probed. */
    public boolean verify(String user, char[] password) {
        Entry e = users.get(user);
        if (e == null) {
            hash(password, new byte[SALT_BYTES], ITERATIONS);
            return false;
        }
        return MessageDigest.isEqual(e.hash(), hash(password, e.salt(), e.iterations()));
    }

    /** Adds the user or replaces their password, with a fresh salt. */
    PasswordFile withUser(String user, char[] password) {
        if (user.isEmpty() || user.contains(":") || !user.equals(user.strip())) {
            throw new TarnException(ErrorCode.INVALID_VALUE,
                    "User name '" + user + "' must be non-empty, without ':' or surrounding spaces");
        }
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        Map<String, Entry> copy = new LinkedHashMap<>(users);
        copy.put(user, new Entry(user, ITERATIONS, salt, hash(password, salt, ITERATIONS)));
        return new PasswordFile(copy);
    }

    /** Writes the file atomically (a temporary file moved over it), readable only by its owner where possible. */
    void write(Path file) {
        List<String> lines = new ArrayList<>();
        lines.add("# Tarn users: user:algorithm:iterations:salt:hash (written by tarn passwd)");
        for (Entry e : users.values()) {
            lines.add(e.line());
        }
        Path dir = file.toAbsolutePath().getParent();
        try {
            Path tmp = Files.createTempFile(dir, ".tarn-auth", ".tmp");
            try {
                try {
                    Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException e) {
                    // Not a POSIX file system: keep the default permissions.
                }
                Files.write(tmp, lines, StandardCharsets.UTF_8);
                try {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new TarnException(ErrorCode.IO_ERROR, "Cannot write auth file " + file + ": " + e.getMessage(), e);
        }
    }

    static byte[] hash(char[] password, byte[] salt, int iterations) {
        try {
            KeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BITS);
            return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new TarnException(ErrorCode.INTERNAL_ERROR, "PBKDF2 is not available: " + e.getMessage(), e);
        }
    }
}

package dev.tarn.error;

import static java.util.Objects.requireNonNull;

/**
 * The one exception type Tarn throws for problems a user can act on. The message says what went wrong and where
 * (the table, file, statement position); the code is stable; the cause is never dropped.
 */
public class TarnException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode errorCode;

    public TarnException(ErrorCode errorCode, String message) {
        this(errorCode, message, null);
    }

    public TarnException(ErrorCode errorCode, String message, Throwable cause) {
        super(requireNonNull(message, "message is null"), cause);
        this.errorCode = requireNonNull(errorCode, "errorCode is null");
    }

    public ErrorCode errorCode() {
        return errorCode;
    }

    /** The message prefixed with the code, e.g. {@code [TARN-1002] Table not found: default.t}. */
    public String formattedMessage() {
        return "[" + errorCode.id() + "] " + getMessage();
    }

    public static TarnException format(ErrorCode code, String format, Object... args) {
        return new TarnException(code, String.format(format, args));
    }
}

package dev.tarn.error;

/**
 * Every error Tarn reports carries one of these codes. The numeric code and the SQLState are stable: clients,
 * scripts and tests may match on them. Add new codes at the end of their group; never renumber.
 */
public enum ErrorCode {
    // 1xxx: the statement is wrong (SQLState class 42: syntax error or access rule violation)
    SYNTAX_ERROR(1001, "42000"),
    TABLE_NOT_FOUND(1002, "42P01"),
    COLUMN_NOT_FOUND(1003, "42703"),
    SCHEMA_NOT_FOUND(1004, "3F000"),
    TABLE_ALREADY_EXISTS(1005, "42P07"),
    SCHEMA_ALREADY_EXISTS(1006, "42P06"),
    TYPE_MISMATCH(1007, "42804"),
    VALIDATION_ERROR(1008, "42000"),
    UNSUPPORTED_STATEMENT(1009, "0A000"),
    AMBIGUOUS_NAME(1010, "42702"),
    INVALID_TABLE_PROPERTY(1011, "42000"),
    FUNCTION_NOT_FOUND(1012, "42883"),

    // 2xxx: the data is wrong (SQLState class 22 and 23)
    NOT_NULL_VIOLATION(2001, "23502"),
    NUMERIC_OVERFLOW(2002, "22003"),
    INVALID_CAST(2003, "22018"),
    DIVISION_BY_ZERO(2004, "22012"),
    INVALID_VALUE(2005, "22023"),
    CHECK_VIOLATION(2006, "23514"),
    /** MERGE: several source rows matched one target row that a clause updates (Spark's SQLSTATE 21506). */
    MERGE_MULTIPLE_SOURCE_ROWS(2007, "21506"),

    // 3xxx: the Delta table or its files are wrong or unsupported (SQLState class 58: system error)
    CORRUPT_LOG(3001, "XX001"),
    LOG_VERSION_GAP(3002, "XX001"),
    UNSUPPORTED_PROTOCOL(3003, "0A000"),
    UNSUPPORTED_FEATURE(3004, "0A000"),
    CORRUPT_DATA_FILE(3005, "XX001"),
    CORRUPT_DELETION_VECTOR(3006, "XX001"),
    MISSING_FILE(3007, "58P01"),
    MISSING_CHECKPOINT_PART(3008, "XX001"),
    VERSION_NOT_FOUND(3009, "22023"),
    NOT_A_DELTA_TABLE(3010, "42P01"),

    // 4xxx: concurrency (SQLState class 40: transaction rollback)
    CONCURRENT_MODIFICATION(4001, "40001"),
    COMMIT_CONFLICT_RETRIES_EXHAUSTED(4002, "40001"),
    CONCURRENT_METADATA_CHANGE(4003, "40001"),
    CONCURRENT_PROTOCOL_CHANGE(4004, "40001"),

    // 5xxx: the environment (I/O, resources, cancellation)
    IO_ERROR(5001, "58030"),
    LAKE_NOT_FOUND(5002, "08001"),
    QUERY_CANCELLED(5003, "57014"),
    MEMORY_LIMIT_EXCEEDED(5004, "53200"),
    READ_ONLY(5005, "25006"),
    TRANSACTION_NOT_SUPPORTED(5006, "0A000"),

    // 9xxx: a bug in Tarn
    INTERNAL_ERROR(9001, "XX000");

    private final int code;
    private final String sqlState;

    ErrorCode(int code, String sqlState) {
        this.code = code;
        this.sqlState = sqlState;
    }

    /** The stable numeric code, printed as {@code TARN-<code>}. */
    public int code() {
        return code;
    }

    /** The SQLState a JDBC client sees for this error. */
    public String sqlState() {
        return sqlState;
    }

    /** {@code TARN-1002} style identifier used in messages. */
    public String id() {
        return "TARN-" + code;
    }
}

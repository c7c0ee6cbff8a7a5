package dev.tarn.query.internal.dml;

/** The {@code _change_type} values of change data files (PROTOCOL.md "Change Data Files"). */
public enum ChangeType {
    INSERT("insert"),
    DELETE("delete"),
    UPDATE_PREIMAGE("update_preimage"),
    UPDATE_POSTIMAGE("update_postimage");

    private final String value;

    ChangeType(String value) {
        this.value = value;
    }

    /** The value written into {@code _change_type}. */
    public String value() {
        return value;
    }
}

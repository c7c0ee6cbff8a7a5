package dev.tarn.jdbc.internal;

/** The driver's name and version, as DatabaseMetaData reports them. */
public final class DriverInfo {
    public static final String NAME = "Tarn JDBC Driver";
    public static final String VERSION = "0.1.0";
    public static final int MAJOR = 0;
    public static final int MINOR = 1;

    private DriverInfo() {}
}

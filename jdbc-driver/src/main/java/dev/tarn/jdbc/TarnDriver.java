package dev.tarn.jdbc;

import dev.tarn.jdbc.internal.ConnectionSettings;
import dev.tarn.jdbc.internal.DriverInfo;
import dev.tarn.jdbc.internal.SharedDatabases;
import dev.tarn.jdbc.internal.SqlErrors;
import dev.tarn.jdbc.internal.TarnConnection;
import dev.tarn.jdbc.internal.TarnMeta;
import dev.tarn.query.Database;
import java.sql.Connection;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.DriverVersion;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.UnregisteredDriver;

/**
 * Tarn's JDBC driver: {@code jdbc:tarn:/path/to/lake} (relative paths resolve against the current directory) or
 * {@code jdbc:tarn:mem:<name>} (a lake in a temporary directory, shared by every connection to the same name while
 * any is open and deleted when the last closes), followed by {@code ;key=value} properties from
 * {@link TarnConnectionProperty}. A missing lake directory is an error ({@code LAKE_NOT_FOUND}, SQLState 08001)
 * unless {@code create=true}. One database per lake per JVM, one session per connection, auto-commit only.
 */
public final class TarnDriver extends UnregisteredDriver {
    static {
        new TarnDriver().register();
    }

    public TarnDriver() {
        super();
    }

    @Override
    protected String getFactoryClassName(JdbcVersion jdbcVersion) {
        return "dev.tarn.jdbc.internal.TarnJdbcFactory";
    }

    @Override
    protected DriverVersion createDriverVersion() {
        return new DriverVersion(DriverInfo.NAME, DriverInfo.VERSION, "Tarn", DriverInfo.VERSION, true,
                DriverInfo.MAJOR, DriverInfo.MINOR, DriverInfo.MAJOR, DriverInfo.MINOR);
    }

    @Override
    protected String getConnectStringPrefix() {
        return ConnectionSettings.URL_PREFIX;
    }

    /**
     * Connects; Avatica's own parser expects only {@code key=value} pairs after the prefix, so Tarn keeps the URL
     * whole and {@link ConnectionSettings} reads the lake and the properties from it.
     */
    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null;
        }
        requireJavaNioOpen();
        // Before Avatica's and the settings' own set-up (tens of milliseconds in a cold JVM): the first connection
        // of a JVM starts the engine warm-up here rather than when its lake opens.
        Database.startWarmup();
        Properties copy = new Properties();
        if (info != null) {
            copy.putAll(info);
        }
        try {
            ConnectionSettings.parse(url, copy);
            copy.setProperty(TarnConnection.URL_PROPERTY, url);
            AvaticaConnection connection = factory.newConnection(this, factory, url, copy);
            handler.onConnectionInit(connection);
            return connection;
        } catch (RuntimeException e) {
            throw SqlErrors.toSqlException(e);
        }
    }

    /**
     * Arrow, which holds every result, reaches into {@code java.nio} buffers and fails on its first allocation when
     * the JVM was started without opening that package; a host application (a BI tool) must add the option, so the
     * connection fails up front saying which one rather than with Arrow's message at the first statement.
     */
    static void requireJavaNioOpen() throws SQLException {
        if (!java.nio.Buffer.class.getModule().isOpen("java.nio", TarnDriver.class.getModule())) {
            throw new SQLException("Tarn needs the JVM option --add-opens=java.base/java.nio=ALL-UNNAMED (Apache "
                    + "Arrow reads java.nio buffer addresses); add it to the command line or to the tool's JVM "
                    + "options (for example its .ini or vmoptions file)", "08001");
        }
    }

    @Override
    public Meta createMeta(AvaticaConnection connection) {
        ConnectionSettings settings = ((TarnConnection) connection).parseSettings();
        // The lake first: opening the first lake of a JVM starts its warm-up thread (see TarnMeta's constructor).
        SharedDatabases.Lease lease = SharedDatabases.INSTANCE.acquire(settings);
        try {
            return new TarnMeta(connection, settings, lease);
        } catch (RuntimeException | Error e) {
            lease.close();
            throw e;
        }
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
        List<DriverPropertyInfo> out = new ArrayList<>();
        for (TarnConnectionProperty p : TarnConnectionProperty.values()) {
            String value = info == null ? null : info.getProperty(p.key());
            DriverPropertyInfo d = new DriverPropertyInfo(p.key(), value != null ? value : p.defaultValue());
            d.description = p.description();
            d.required = false;
            if (p == TarnConnectionProperty.READ_ONLY || p == TarnConnectionProperty.CREATE
                    || p == TarnConnectionProperty.NESTED_AS_JSON || p == TarnConnectionProperty.SYNC) {
                d.choices = new String[] {"true", "false"};
            }
            out.add(d);
        }
        return out.toArray(new DriverPropertyInfo[0]);
    }
}

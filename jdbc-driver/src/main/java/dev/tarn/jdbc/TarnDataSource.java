package dev.tarn.jdbc;

import static java.util.Objects.requireNonNull;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} over Tarn's driver: every {@link #getConnection()} opens a new connection to one
 * {@code jdbc:tarn:} URL (connections to the same lake share its database, see {@link TarnDriver}). No pooling;
 * put a pool such as HikariCP in front when connections are opened often.
 */
public final class TarnDataSource implements DataSource {
    private final String url;
    private final Properties properties;
    private final TarnDriver driver = new TarnDriver();
    private volatile PrintWriter logWriter;
    private volatile int loginTimeoutSeconds;

    /** A data source for a {@code jdbc:tarn:} URL (with its {@code ;key=value} properties). */
    public TarnDataSource(String url) {
        this(url, new Properties());
    }

    public TarnDataSource(String url, Properties properties) {
        this.url = requireNonNull(url, "url is null");
        if (!url.startsWith("jdbc:tarn:")) {
            throw new IllegalArgumentException("Not a Tarn URL (expected jdbc:tarn:<lake>): " + url);
        }
        this.properties = new Properties();
        this.properties.putAll(requireNonNull(properties, "properties is null"));
    }

    public String url() {
        return url;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return driver.connect(url, properties);
    }

    /** Tarn has no users: the credentials are accepted and ignored, as the driver ignores user and password. */
    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    @Override
    public void setLoginTimeout(int seconds) {
        this.loginTimeoutSeconds = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeoutSeconds;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("Tarn does not log through java.util.logging");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("TarnDataSource does not wrap " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    @Override
    public String toString() {
        return "TarnDataSource[" + url + "]";
    }
}

/**
 * Tarn's JDBC driver, built on Apache Calcite Avatica.
 *
 * <pre>{@code
 * try (Connection c = DriverManager.getConnection("jdbc:tarn:/data/lake;schema=sales")) { ... }
 * try (Connection c = DriverManager.getConnection("jdbc:tarn:mem:test")) { ... }   // temporary, shared by name
 * }</pre>
 *
 * <p>{@link dev.tarn.jdbc.TarnDriver} registers itself with {@link java.sql.DriverManager} (and through
 * {@code META-INF/services/java.sql.Driver}); {@link dev.tarn.jdbc.TarnConnectionProperty} lists the connection
 * properties. Errors are {@link java.sql.SQLException}s whose SQLState and vendor code come from Tarn's
 * {@code ErrorCode} and whose cause is the {@code TarnException}. Everything else lives in
 * {@code dev.tarn.jdbc.internal}.
 */
package dev.tarn.jdbc;

/**
 * JUnit 5 support for code that uses Tarn: {@link dev.tarn.junit.TarnLake} on a test class gives each test (or the
 * whole class) a fresh lake in a temporary directory and injects a {@link java.sql.Connection}, a
 * {@link javax.sql.DataSource}, the lake's {@link java.nio.file.Path} or the {@link dev.tarn.junit.Lake} itself.
 */
package dev.tarn.junit;

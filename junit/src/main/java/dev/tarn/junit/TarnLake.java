package dev.tarn.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives the annotated test class fresh Tarn lakes (see {@link TarnExtension}). Test methods, {@code @BeforeEach} and
 * {@code @AfterEach} methods (and, with {@link Lifecycle#PER_CLASS}, constructors and {@code @BeforeAll}) may declare
 * parameters of type {@link java.sql.Connection}, {@link javax.sql.DataSource}, {@link java.nio.file.Path} (the lake
 * directory; not for parameters annotated {@code @TempDir}) or {@link Lake}.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(TarnExtension.class)
public @interface TarnLake {
    /** How long one lake lives. */
    enum Lifecycle {
        /** A new, empty lake for every test method (the default). */
        PER_TEST,
        /** One lake for every test of the class, deleted after the last. */
        PER_CLASS
    }

    Lifecycle lifecycle() default Lifecycle.PER_TEST;

    /**
     * Delta table directories copied into every new lake before the test sees it: {@code "path/to/table"} becomes
     * table {@code default.<directory name>}, {@code "schema.name=path/to/table"} names it. Relative paths resolve
     * against the working directory (the module directory under Maven and Gradle).
     */
    String[] copyFrom() default {};
}

package dev.tarn.junit;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link TarnLake}: resolves {@link Connection}, {@link DataSource}, {@link Path} and
 * {@link Lake} parameters from a lake made on first use and kept in JUnit's extension store, so JUnit closes it (and
 * every connection it handed out) when the test method ends ({@link TarnLake.Lifecycle#PER_TEST}) or after the
 * class ({@link TarnLake.Lifecycle#PER_CLASS}). Connections injected into a method close when that method ends.
 * Registered through {@code @TarnLake}; with {@code @ExtendWith(TarnExtension.class)} alone it uses the defaults.
 */
public final class TarnExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TarnExtension.class);
    private static final String LAKE_KEY = "lake";
    private static final List<Class<?>> TYPES = List.of(Connection.class, DataSource.class, Path.class, Lake.class);

    public TarnExtension() {}

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        if (type == Path.class && parameter.isAnnotated(TempDir.class)) {
            return false; // JUnit's own temporary directories
        }
        return TYPES.contains(type);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Lake lake = lake(context);
        Class<?> type = parameter.getParameter().getType();
        if (type == Lake.class) {
            return lake;
        }
        if (type == Path.class) {
            return lake.path();
        }
        if (type == DataSource.class) {
            return lake.dataSource();
        }
        try {
            Connection c = lake.connect();
            context.getStore(NAMESPACE).put(new Object(), (AutoCloseable) c::close);
            return c;
        } catch (SQLException e) {
            throw new ParameterResolutionException("Cannot connect to the test lake " + lake.path() + ": "
                    + e.getMessage(), e);
        }
    }

    /** The lake of this test (or class), made on first use. */
    static Lake lake(ExtensionContext context) {
        TarnLake config = config(context);
        ExtensionContext owner;
        if (config.lifecycle() == TarnLake.Lifecycle.PER_CLASS) {
            owner = context;
            while (owner.getTestMethod().isPresent() && owner.getParent().isPresent()) {
                owner = owner.getParent().get();
            }
        } else {
            if (context.getTestMethod().isEmpty()) {
                throw new ParameterResolutionException("@TarnLake(lifecycle = PER_TEST) makes one lake per test "
                        + "method; inject it into test methods or @BeforeEach/@AfterEach, or use PER_CLASS to "
                        + "share one lake with constructors and @BeforeAll");
            }
            owner = context;
        }
        return owner.getStore(NAMESPACE).getOrComputeIfAbsent(LAKE_KEY, k -> Lake.create(List.of(config.copyFrom())),
                Lake.class);
    }

    private static TarnLake config(ExtensionContext context) {
        for (Optional<Class<?>> c = context.getTestClass(); c.isPresent(); c = Optional.ofNullable(
                c.get().getEnclosingClass())) {
            Optional<TarnLake> found = AnnotationSupport.findAnnotation(c.get(), TarnLake.class);
            if (found.isPresent()) {
                return found.get();
            }
        }
        return Defaults.class.getAnnotation(TarnLake.class);
    }

    /** Carries the annotation's defaults for classes that use {@code @ExtendWith(TarnExtension.class)} alone. */
    @TarnLake
    private static final class Defaults {}
}

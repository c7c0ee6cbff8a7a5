package dev.tarn.query.internal.sql;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.ConcurrentHashMap;
import org.apache.calcite.rel.metadata.DefaultRelMetadataProvider;
import org.apache.calcite.rel.metadata.MetadataHandler;
import org.apache.calcite.rel.metadata.MetadataHandlerProvider;
import org.apache.calcite.rel.metadata.ProxyingMetadataHandlerProvider;

/**
 * Calcite's metadata handlers as reflective proxies (no generated code, so a cold JVM compiles no Janino handlers),
 * made once per handler type and shared by every planner. A new {@code RelMetadataQuery} asks for 27 handlers, and
 * the planner makes a new one after every rule that changes the plan; built anew each time the proxies cost
 * reflection and a {@code java.lang.reflect.Proxy} per handler. They hold no state (they dispatch to Calcite's
 * stateless {@code RelMd*} handlers), so sharing them across threads is safe.
 */
final class SharedMetadataHandlers implements MetadataHandlerProvider {
    static final SharedMetadataHandlers INSTANCE =
            new SharedMetadataHandlers(new ProxyingMetadataHandlerProvider(DefaultRelMetadataProvider.INSTANCE));

    private final MetadataHandlerProvider delegate;
    private final ConcurrentHashMap<Class<?>, MetadataHandler<?>> handlers = new ConcurrentHashMap<>();

    SharedMetadataHandlers(MetadataHandlerProvider delegate) {
        this.delegate = requireNonNull(delegate, "delegate is null");
    }

    @Override
    public <MH extends MetadataHandler<?>> MH handler(Class<MH> handlerClass) {
        return handlerClass.cast(handlers.computeIfAbsent(handlerClass, c -> delegate.handler(handlerClass)));
    }
}

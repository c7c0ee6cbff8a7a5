package dev.tarn.query;

import java.util.List;

/** A parsed and validated statement with {@code ?} parameters. */
public interface PreparedQuery extends AutoCloseable {
    /** One entry per {@code ?}, in order, with the type the statement expects there. */
    List<ResultColumn> parameters();

    /** The columns a query will return; empty for statements that return none. */
    List<ResultColumn> columns();

    QueryResult execute(List<?> parameters);

    @Override
    void close();
}

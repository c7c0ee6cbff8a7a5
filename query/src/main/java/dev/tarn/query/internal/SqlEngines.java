package dev.tarn.query.internal;

import dev.tarn.error.ErrorCode;
import dev.tarn.error.TarnException;
import dev.tarn.query.internal.sql.SqlEngine;

/** Where the default SQL engine comes from. */
final class SqlEngines {
    private SqlEngines() {}

    static SqlEngine defaultEngine() {
        try {
            return (SqlEngine) Class.forName("dev.tarn.query.internal.sql.CalciteSqlEngine")
                    .getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new TarnException(ErrorCode.INTERNAL_ERROR, "The SQL engine is not available", e);
        }
    }
}

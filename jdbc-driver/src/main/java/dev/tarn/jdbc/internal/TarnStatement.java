package dev.tarn.jdbc.internal;

import java.sql.SQLException;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaStatement;
import org.apache.calcite.avatica.Meta;

/** A plain statement; {@link #cancel()} also stops the statement the session is running. */
final class TarnStatement extends AvaticaStatement {
    TarnStatement(AvaticaConnection connection, Meta.StatementHandle h, int resultSetType, int resultSetConcurrency,
                  int resultSetHoldability) {
        super(connection, h, resultSetType, resultSetConcurrency, resultSetHoldability);
    }

    @Override
    public void cancel() throws SQLException {
        ((TarnConnection) connection).cancelRunning();
    }
}

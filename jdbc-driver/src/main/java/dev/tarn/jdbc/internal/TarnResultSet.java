package dev.tarn.jdbc.internal;

import java.sql.Date;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Calendar;
import java.util.TimeZone;
import org.apache.calcite.avatica.AvaticaResultSet;
import org.apache.calcite.avatica.AvaticaStatement;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.QueryState;

/**
 * Avatica's result set with two corrections: errors while fetching carry Tarn's SQLState, and DATE and TIMESTAMP
 * columns return the values {@link ArrowRows} made (full microsecond precision, no hidden zone shift) instead of
 * Avatica's millisecond, calendar-shifted conversions.
 */
final class TarnResultSet extends AvaticaResultSet {
    private static final DateTimeFormatter TIMESTAMP_TEXT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    private boolean released;

    TarnResultSet(AvaticaStatement statement, QueryState state, Meta.Signature signature,
                  ResultSetMetaData metaData, TimeZone timeZone, Meta.Frame firstFrame) throws SQLException {
        super(statement, state, signature, metaData, timeZone, firstFrame);
    }

    @Override
    public boolean next() throws SQLException {
        try {
            return super.next();
        } catch (SQLException | RuntimeException e) {
            throw SqlErrors.toSqlException(e);
        }
    }

    /** Releases the statement's open query result (and its Arrow memory) as soon as the client is done with it. */
    @Override
    public void close() {
        boolean wasOpen = !released;
        released = true;
        super.close();
        if (wasOpen && statement != null && statement.connection instanceof TarnConnection c && statement.handle != null) {
            c.tarnMeta().closeResult(statement.handle);
        }
    }

    private int sqlType(int columnIndex) {
        if (columnIndex < 1 || columnIndex > columnMetaDataList.size()) {
            return Types.OTHER;
        }
        return columnMetaDataList.get(columnIndex - 1).type.id;
    }

    private boolean temporal(int columnIndex) {
        int t = sqlType(columnIndex);
        return t == Types.DATE || t == Types.TIMESTAMP;
    }

    /** The value as ArrowRows produced it. */
    private Object raw(int columnIndex) throws SQLException {
        checkOpen();
        return accessorList.get(columnIndex - 1).getObject();
    }

    @Override
    public Object getObject(int columnIndex) throws SQLException {
        return temporal(columnIndex) ? raw(columnIndex) : super.getObject(columnIndex);
    }

    @Override
    public Object getObject(String columnLabel) throws SQLException {
        return getObject(findColumn(columnLabel));
    }

    @Override
    public String getString(int columnIndex) throws SQLException {
        if (!temporal(columnIndex)) {
            return super.getString(columnIndex);
        }
        Object v = raw(columnIndex);
        if (v instanceof Timestamp ts) {
            return TIMESTAMP_TEXT.format(ts.toLocalDateTime());
        }
        return v == null ? null : ((Date) v).toLocalDate().toString();
    }

    @Override
    public String getString(String columnLabel) throws SQLException {
        return getString(findColumn(columnLabel));
    }

    @Override
    public Timestamp getTimestamp(int columnIndex) throws SQLException {
        if (!temporal(columnIndex)) {
            return super.getTimestamp(columnIndex);
        }
        Object v = raw(columnIndex);
        if (v instanceof Date d) {
            return Timestamp.valueOf(d.toLocalDate().atStartOfDay());
        }
        return (Timestamp) v;
    }

    @Override
    public Timestamp getTimestamp(String columnLabel) throws SQLException {
        return getTimestamp(findColumn(columnLabel));
    }

    /** JDBC: the stored wall-clock value read in the calendar's zone. */
    @Override
    public Timestamp getTimestamp(int columnIndex, Calendar cal) throws SQLException {
        Timestamp ts = getTimestamp(columnIndex);
        if (ts == null || cal == null || !temporal(columnIndex)) {
            return ts;
        }
        LocalDateTime wall = ts.toLocalDateTime();
        return Timestamp.from(wall.atZone(cal.getTimeZone().toZoneId()).toInstant());
    }

    @Override
    public Timestamp getTimestamp(String columnLabel, Calendar cal) throws SQLException {
        return getTimestamp(findColumn(columnLabel), cal);
    }

    @Override
    public Date getDate(int columnIndex) throws SQLException {
        if (!temporal(columnIndex)) {
            return super.getDate(columnIndex);
        }
        Object v = raw(columnIndex);
        if (v instanceof Timestamp ts) {
            return Date.valueOf(ts.toLocalDateTime().toLocalDate());
        }
        return (Date) v;
    }

    @Override
    public Date getDate(String columnLabel) throws SQLException {
        return getDate(findColumn(columnLabel));
    }

    @Override
    public Date getDate(int columnIndex, Calendar cal) throws SQLException {
        Date d = getDate(columnIndex);
        if (d == null || cal == null || !temporal(columnIndex)) {
            return d;
        }
        return new Date(d.toLocalDate().atStartOfDay(cal.getTimeZone().toZoneId()).toInstant().toEpochMilli());
    }

    @Override
    public Date getDate(String columnLabel, Calendar cal) throws SQLException {
        return getDate(findColumn(columnLabel), cal);
    }
}

package dev.bgtask.runtime.store;

import java.sql.CallableStatement;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Calendar;
import java.util.TimeZone;
import org.apache.ibatis.type.BaseTypeHandler;
import org.apache.ibatis.type.JdbcType;

/** Stores {@link Instant}s as UTC timestamps, whatever the JVM's or the server's time zone. */
public final class UtcInstantTypeHandler extends BaseTypeHandler<Instant> {

  private static Calendar utc() {
    return Calendar.getInstance(TimeZone.getTimeZone("UTC"));
  }

  @Override
  public void setNonNullParameter(PreparedStatement ps, int i, Instant value, JdbcType jdbcType) throws SQLException {
    ps.setTimestamp(i, Timestamp.from(value), utc());
  }

  @Override
  public Instant getNullableResult(ResultSet rs, String column) throws SQLException {
    return toInstant(rs.getTimestamp(column, utc()));
  }

  @Override
  public Instant getNullableResult(ResultSet rs, int column) throws SQLException {
    return toInstant(rs.getTimestamp(column, utc()));
  }

  @Override
  public Instant getNullableResult(CallableStatement cs, int column) throws SQLException {
    return toInstant(cs.getTimestamp(column, utc()));
  }

  private static Instant toInstant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }
}

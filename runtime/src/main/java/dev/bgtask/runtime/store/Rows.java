package dev.bgtask.runtime.store;

import java.sql.Clob;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Rows read as maps, made the same on every database: lower-case column names, text for CLOBs,
 * instants for timestamps (stored as UTC wall-clock times) and longs for whole numbers, whatever
 * the driver returned.
 */
final class Rows {

  private Rows() {}

  static Map<String, Object> plain(Map<String, Object> row) {
    Map<String, Object> plain = new LinkedHashMap<>();
    if (row != null) {
      row.forEach((column, value) -> plain.put(column.toLowerCase(Locale.ROOT), plainValue(value)));
    }
    return plain;
  }

  static Object plainValue(Object value) {
    if (value instanceof Clob clob) {
      try {
        return clob.getSubString(1, (int) clob.length());
      } catch (SQLException e) {
        throw new DatabaseUnavailableException("cannot read a text column: " + e.getMessage(), e);
      }
    }
    if (value instanceof Timestamp timestamp) {
      return timestamp.toLocalDateTime().toInstant(ZoneOffset.UTC);
    }
    if (value instanceof LocalDateTime local) {
      return local.toInstant(ZoneOffset.UTC);
    }
    if (value instanceof java.math.BigDecimal decimal && decimal.scale() <= 0) {
      return decimal.longValue();
    }
    if (value instanceof Number number && !(value instanceof Long) && !(value instanceof Double)
        && !(value instanceof java.math.BigDecimal) && !(value instanceof Float)) {
      return number.longValue();
    }
    return value;
  }

  static Instant instant(Object value) {
    Object plain = plainValue(value);
    return plain instanceof Instant instant ? instant : null;
  }

  static long number(Object value) {
    Object plain = plainValue(value);
    return plain instanceof Number number ? number.longValue() : 0;
  }
}

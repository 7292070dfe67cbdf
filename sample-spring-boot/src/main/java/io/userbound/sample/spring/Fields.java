package io.userbound.sample.spring;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Checks the fields of request bodies as sample-app does; every problem is a 400 {@code
 * bad_request}. Fields arrive untyped (as Jackson reads them into {@code Object}), so that a
 * string where a number belongs is refused rather than coerced.
 */
final class Fields {

  private Fields() {}

  /** {@return a required positive integer id} */
  static long id(Object value) {
    if ((value instanceof Integer || value instanceof Long) && ((Number) value).longValue() > 0) {
      return ((Number) value).longValue();
    }
    throw new ApiErrors.BadRequest();
  }

  /** {@return a required decimal, a JSON string or number, above 0 and at most max, 2 places} */
  static BigDecimal decimal(Object value, BigDecimal max) {
    BigDecimal d;
    if (value instanceof String s) {
      String text = s.strip();
      if (text.length() > 20 || !text.matches("[0-9]+(\\.[0-9]+)?")) {
        throw new ApiErrors.BadRequest();
      }
      d = new BigDecimal(text);
    } else if (value instanceof Integer || value instanceof Long) {
      d = BigDecimal.valueOf(((Number) value).longValue());
    } else if (value instanceof Double x && Double.isFinite(x)) {
      d = BigDecimal.valueOf(x);
    } else if (value instanceof BigDecimal b) {
      d = b;
    } else {
      throw new ApiErrors.BadRequest();
    }
    d = d.stripTrailingZeros();
    if (d.signum() <= 0 || d.compareTo(max) > 0 || d.scale() > 2) {
      throw new ApiErrors.BadRequest();
    }
    return d.setScale(2);
  }

  /** {@return an optional string of at most maxLength characters, or ""} */
  static String text(Object value, int maxLength) {
    if (value == null) {
      return "";
    }
    if (!(value instanceof String s) || s.length() > maxLength) {
      throw new ApiErrors.BadRequest();
    }
    return s.strip();
  }

  /** {@return an optional ISO date within a year of today, or today} */
  static LocalDate date(Object value) {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    if (value == null) {
      return today;
    }
    if (!(value instanceof String s)) {
      throw new ApiErrors.BadRequest();
    }
    try {
      LocalDate d = LocalDate.parse(s);
      if (d.isBefore(today.minusYears(1)) || d.isAfter(today.plusYears(1))) {
        throw new ApiErrors.BadRequest();
      }
      return d;
    } catch (DateTimeParseException e) {
      throw new ApiErrors.BadRequest();
    }
  }
}

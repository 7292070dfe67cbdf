package io.userbound.sample;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Reads and checks the fields of request bodies; every problem is a 400 {@code bad_request}. */
final class Fields {

  private Fields() {}

  /** {@return a required positive integer id, e.g. {@code "customerId": 3}} */
  static long id(ObjectNode body, String field) {
    JsonNode n = body.get(field);
    if (n == null || !n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() <= 0) {
      throw ApiError.badRequest();
    }
    return n.longValue();
  }

  /**
   * Reads a required decimal given as a JSON string ({@code "12.50"}) or number ({@code 1.5}).
   *
   * @param body the body
   * @param field the field's name
   * @param max the largest allowed value; the smallest is just above zero
   * @return the value with two decimal places
   */
  static BigDecimal decimal(ObjectNode body, String field, BigDecimal max) {
    JsonNode n = body.get(field);
    BigDecimal value;
    if (n == null) {
      throw ApiError.badRequest();
    } else if (n.isTextual()) {
      String text = n.textValue().strip();
      if (text.length() > 20 || !text.matches("[0-9]+(\\.[0-9]+)?")) {
        throw ApiError.badRequest();
      }
      value = new BigDecimal(text);
    } else if (n.isNumber()) {
      value = n.decimalValue();
    } else {
      throw ApiError.badRequest();
    }
    value = value.stripTrailingZeros();
    if (value.signum() <= 0 || value.compareTo(max) > 0 || value.scale() > 2) {
      throw ApiError.badRequest();
    }
    return value.setScale(2);
  }

  /** {@return an optional string of at most {@code maxLength} characters, or {@code ""}} */
  static String text(ObjectNode body, String field, int maxLength) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      return "";
    }
    if (!n.isTextual() || n.textValue().length() > maxLength) {
      throw ApiError.badRequest();
    }
    return n.textValue().strip();
  }

  /** {@return an optional ISO date ({@code "2026-11-24"}) within a year of today, or today} */
  static LocalDate date(ObjectNode body, String field) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      return LocalDate.now(ZoneOffset.UTC);
    }
    if (!n.isTextual()) {
      throw ApiError.badRequest();
    }
    try {
      LocalDate d = LocalDate.parse(n.textValue());
      LocalDate today = LocalDate.now(ZoneOffset.UTC);
      if (d.isBefore(today.minusYears(1)) || d.isAfter(today.plusYears(1))) {
        throw ApiError.badRequest();
      }
      return d;
    } catch (DateTimeParseException e) {
      throw ApiError.badRequest();
    }
  }
}

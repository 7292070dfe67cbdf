package io.userbound.sample;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads the application's own class-path resources. */
final class Resources {

  private Resources() {}

  /**
   * Reads a UTF-8 resource of this application.
   *
   * @param path the resource path, e.g. {@code db/finance.sql}
   * @return its text
   * @throws IllegalStateException if it is missing
   */
  static String text(String path) {
    try (InputStream in = Resources.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("resource " + path + " is missing from the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read resource " + path, e);
    }
  }
}

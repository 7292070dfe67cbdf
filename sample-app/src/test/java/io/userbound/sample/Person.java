package io.userbound.sample;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * One browser-like HTTP client with its own cookie jar: one person's session. Closing it
 * logs out, so that no test leaves a live session (and open pools) behind.
 */
final class Person implements AutoCloseable {

  static final ObjectMapper JSON = new ObjectMapper();

  /** A JSON answer. */
  record Answer(int status, JsonNode body, HttpResponse<String> raw) {

    String error() {
      return body == null || body.get("error") == null ? null : body.get("error").asText();
    }

    List<String> values(String field) {
      return body.findValuesAsText(field);
    }
  }

  private final URI base;
  private final CookieManager cookies = new CookieManager();
  private final HttpClient http;

  Person(SampleApp app) {
    this.base = app.uri();
    this.http =
        HttpClient.newBuilder()
            .cookieHandler(cookies)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  /** Logs in as a demo person with their demo password; fails the test if refused. */
  static Person loggedIn(SampleApp app, String role) {
    Person p = new Person(app);
    Answer a = p.login(role, DemoPerson.named(role).password());
    if (a.status() != 200) {
      throw new AssertionError("login of " + role + " answered " + a.status() + " " + a.body());
    }
    return p;
  }

  Answer login(String user, String password) {
    return post(
        "/api/login",
        JSON.createObjectNode().put("username", user).put("password", password).toString());
  }

  Answer logout() {
    return post("/api/logout", null);
  }

  Answer get(String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  /** A GET whose answer is not JSON (say, {@code /metrics}). */
  HttpResponse<String> getText(String path) {
    try {
      return http.send(
          HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  Answer post(String path, String json) {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path));
    if (json == null) {
      b.POST(HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
    }
    return send(b);
  }

  Answer send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> r =
          http.send(
              request.timeout(Duration.ofSeconds(20)).build(),
              HttpResponse.BodyHandlers.ofString());
      JsonNode body = r.body().isEmpty() ? null : JSON.readTree(r.body());
      return new Answer(r.statusCode(), body, r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    logout();
  }
}

package io.userbound.servlet;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/** One simulated browser: an HTTP client with its own cookie jar (see {@link #on}). Thread-safe. */
final class Browser {

  private final TestServer server;
  private final CookieManager cookies;
  private final HttpClient client;

  Browser(TestServer server) {
    this(server, new CookieManager(null, CookiePolicy.ACCEPT_ALL));
  }

  private Browser(TestServer server, CookieManager cookies) {
    this.server = server;
    this.cookies = cookies;
    this.client =
        HttpClient.newBuilder()
            .cookieHandler(cookies)
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  /**
   * The same browser talking to another server on the same host: one cookie jar, as behind a
   * load balancer that sends each request wherever it likes.
   */
  Browser on(TestServer other) {
    return new Browser(other, cookies);
  }

  HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(server.uri(path)).GET());
  }

  HttpResponse<String> post(String path, String formBody) {
    return send(
        HttpRequest.newBuilder(server.uri(path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(formBody)));
  }

  /** A POST with extra headers, name and value alternating. */
  HttpResponse<String> post(String path, String formBody, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(server.uri(path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(formBody));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return send(b);
  }

  /** A POST of raw bytes with this content type (or none). */
  HttpResponse<String> postBytes(String path, String contentType, byte[] body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(server.uri(path)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    return send(b);
  }

  HttpResponse<String> login(String role, char[] password) {
    return post("/login", "role=" + encode(role) + "&password=" + encode(new String(password)));
  }

  HttpResponse<String> logout() {
    return post("/logout", "");
  }

  /** The value of the session cookie, if the browser has one. */
  Optional<String> sessionId() {
    return cookies.getCookieStore().get(server.uri("/")).stream()
        .filter(c -> c.getName().equals("JSESSIONID"))
        .map(HttpCookie::getValue)
        .findFirst();
  }

  /** Puts a session cookie into this browser's jar, as if it had received it. */
  void useSessionId(String id) {
    HttpCookie cookie = new HttpCookie("JSESSIONID", id);
    cookie.setPath("/");
    cookie.setVersion(0);
    cookies.getCookieStore().add(server.uri("/"), cookie);
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return client.send(
          request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException("request failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}

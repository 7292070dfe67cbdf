package io.userbound.sample.spring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser for Sign in with SSO: one cookie jar for the application and the provider (both
 * on 127.0.0.1, with cookies of different names), redirects followed by hand so that each
 * hop can be seen, the provider's login form filled in as a person would.
 */
final class SsoBrowser {

  private final HttpClient http;
  private final CookieManager cookies = new CookieManager();

  SsoBrowser() {
    this.http =
        HttpClient.newBuilder()
            .cookieHandler(cookies)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  /**
   * Signs in at the application by SSO: starts at {@code /oauth2/authorization/demo}, logs in at
   * the provider's form with these credentials, and follows the redirects back to the
   * application's callback.
   *
   * @return the application's answer to its callback (302 to {@code /} when signed in)
   */
  HttpResponse<String> signIn(int appPort, String user, String password) {
    HttpResponse<String> r =
        page(URI.create("http://127.0.0.1:" + appPort + "/oauth2/authorization/demo"));
    for (int hop = 0; hop < 10; hop++) {
      if (r.statusCode() != 302) {
        throw new AssertionError(
            "unexpected " + r.statusCode() + " at " + r.uri() + ": " + r.body());
      }
      URI next = r.uri().resolve(r.headers().firstValue("Location").orElseThrow());
      if (next.getPort() == appPort && next.getPath().startsWith("/login/oauth2/code/")) {
        // The callback: the application signs the person in, or refuses. A browser sends it
        // as a navigation from the provider's site, and says so.
        return send(
            HttpRequest.newBuilder(next)
                .header("Accept", "text/html")
                .header("Sec-Fetch-Site", "cross-site")
                .header("Sec-Fetch-Mode", "navigate")
                .GET());
      }
      if (next.getPath().equals("/login") && next.getPort() != appPort) {
        HttpResponse<String> form = page(next);
        r = postForm(next, Map.of("username", user, "password", password, "_csrf", csrf(form)));
        continue;
      }
      r = page(next);
    }
    throw new AssertionError("too many redirects; last at " + r.uri());
  }

  /**
   * Gets an authorization code from the provider for the application's client, as the
   * application would, without the application: for tests that need the tokens themselves.
   */
  String authorizationCode(
      String issuer, String redirectUri, String codeChallenge, String user, String password) {
    URI authorize =
        URI.create(
            issuer
                + "/oauth2/authorize?response_type=code&client_id=userbound-sample&scope=openid"
                + "&state=test-state&code_challenge_method=S256&code_challenge="
                + codeChallenge
                + "&redirect_uri="
                + URLEncoder.encode(redirectUri, StandardCharsets.UTF_8));
    HttpResponse<String> r = page(authorize);
    for (int hop = 0; hop < 10; hop++) {
      if (r.statusCode() != 302) {
        throw new AssertionError(
            "unexpected " + r.statusCode() + " at " + r.uri() + ": " + r.body());
      }
      URI next = r.uri().resolve(r.headers().firstValue("Location").orElseThrow());
      if (next.toString().startsWith(redirectUri)) {
        Matcher m = Pattern.compile("(?:^|&)code=([^&]+)").matcher(next.getRawQuery());
        if (!m.find()) {
          throw new AssertionError("no code in the redirect: " + next);
        }
        return URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
      }
      if (next.getPath().equals("/login")) {
        HttpResponse<String> form = page(next);
        r = postForm(next, Map.of("username", user, "password", password, "_csrf", csrf(form)));
        continue;
      }
      r = page(next);
    }
    throw new AssertionError("too many redirects; last at " + r.uri());
  }

  private static String csrf(HttpResponse<String> page) {
    Matcher m = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(page.body());
    if (!m.find()) {
      throw new AssertionError("no CSRF token in the provider's login form: " + page.statusCode());
    }
    return m.group(1);
  }

  /** A page, as a browser asks for it. */
  HttpResponse<String> page(URI uri) {
    return send(HttpRequest.newBuilder(uri).header("Accept", "text/html").GET());
  }

  /** The JSON API. */
  HttpResponse<String> get(URI uri) {
    return send(HttpRequest.newBuilder(uri).header("Accept", "application/json").GET());
  }

  HttpResponse<String> get(URI uri, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).GET();
    headers.forEach(b::header);
    return send(b);
  }

  HttpResponse<String> post(URI uri, Map<String, String> headers, String contentType, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri)
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    return send(b);
  }

  HttpResponse<String> postForm(URI uri, Map<String, String> fields) {
    return post(uri, Map.of(), "application/x-www-form-urlencoded", form(fields));
  }

  static String form(Map<String, String> fields) {
    return fields.entrySet().stream()
        .map(
            e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  /** {@return the value of a cookie this browser holds, or null} */
  String cookie(String name) {
    return cookies.getCookieStore().getCookies().stream()
        .filter(c -> c.getName().equals(name))
        .map(HttpCookie::getValue)
        .findFirst()
        .orElse(null);
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(
          request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

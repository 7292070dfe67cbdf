package io.userbound.sample;

import jakarta.inject.Singleton;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Serves the web page ({@code GET /}) and its script and style sheet from the class path
 * ({@code web/}). A fixed list of files: no path from the request reaches the class loader.
 */
@Singleton
final class PageServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  /** Request path to resource and content type. */
  static final Map<String, String[]> FILES =
      Map.of(
          "/", new String[] {"web/index.html", "text/html;charset=UTF-8"},
          "/app.js", new String[] {"web/app.js", "text/javascript;charset=UTF-8"},
          "/app.css", new String[] {"web/app.css", "text/css;charset=UTF-8"});

  private static final String CSP =
      "default-src 'self'; img-src 'self' data:; object-src 'none'; "
          + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  private final transient Map<String, byte[]> content =
      Map.of("/", bytes("/"), "/app.js", bytes("/app.js"), "/app.css", bytes("/app.css"));

  private static byte[] bytes(String path) {
    return Resources.text(FILES.get(path)[0]).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String path =
        request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
    byte[] body = content.get(path);
    if (body == null) {
      response.sendError(HttpServletResponse.SC_NOT_FOUND);
      return;
    }
    response.setContentType(FILES.get(path)[1]);
    response.setHeader("Cache-Control", "no-cache");
    response.setHeader("Content-Security-Policy", CSP);
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("Referrer-Policy", "no-referrer");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }
}

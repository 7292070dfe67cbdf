package io.userbound.sample;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.userbound.core.Login;
import io.userbound.core.Userbound;
import io.userbound.hibernate.UnitOfWork;
import io.userbound.servlet.HttpError;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The base of the JSON endpoints: dispatches {@code GET} and {@code POST}, writes replies,
 * and turns every failure into {@code {"error": "<code>"}} without a stack trace or SQL.
 * Subclasses are Guice singletons and thread-safe.
 */
abstract class ApiServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;
  private static final Logger log = LoggerFactory.getLogger(ApiServlet.class);

  /** Larger bodies are refused; every body of this API is a few dozen bytes. */
  static final int MAX_BODY_BYTES = 16 * 1024;

  /** Where the answers of an API call go. */
  record Reply(int status, Object body) {

    static Reply ok(Object body) {
      return new Reply(HttpServletResponse.SC_OK, body);
    }

    static Reply created(Object body) {
      return new Reply(HttpServletResponse.SC_CREATED, body);
    }
  }

  final transient ObjectMapper json;
  final transient Userbound userbound;

  ApiServlet(ObjectMapper json, Userbound userbound) {
    this.json = json;
    this.userbound = userbound;
  }

  /**
   * Answers a {@code GET}.
   *
   * @param request the request
   * @return the reply
   */
  /** All rows of one entity, as the bound person may see them, in a read transaction. */
  static <E> Reply list(UnitOfWork work, Class<E> type, String query, Function<E, ?> toJson) {
    return Reply.ok(
        work.fromTransaction(
            type,
            s ->
                s.createSelectionQuery(query, type).getResultList().stream().map(toJson).toList()));
  }

  Reply get(HttpServletRequest request) {
    throw ApiError.methodNotAllowed();
  }

  /**
   * Answers a {@code POST}.
   *
   * @param request the request
   * @return the reply
   */
  Reply post(HttpServletRequest request) {
    throw ApiError.methodNotAllowed();
  }

  @Override
  protected final void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Reply reply;
    try {
      reply =
          switch (request.getMethod()) {
            case "GET" -> get(request);
            case "POST" -> post(request);
            default -> throw ApiError.methodNotAllowed();
          };
    } catch (RuntimeException e) {
      Optional<ApiError> error = Errors.of(e, userbound.config().loginDatabase());
      if (error.isEmpty()) {
        log.error("{} {} failed", request.getMethod(), request.getRequestURI(), e);
        error(response, 500, "internal_error");
        return;
      }
      if (error.get().status() >= 500) {
        log.warn(
            "{} {} answered {}: {}",
            request.getMethod(),
            request.getRequestURI(),
            error.get().getMessage(),
            e.toString());
      }
      HttpError.of(e)
          .flatMap(
              h ->
                  h.retryAfterSeconds().isPresent()
                      ? Optional.of(h.retryAfterSeconds().getAsInt())
                      : Optional.empty())
          .ifPresent(seconds -> response.setHeader("Retry-After", Integer.toString(seconds)));
      error(response, error.get().status(), error.get().code());
      return;
    }
    write(response, reply.status(), reply.body());
  }

  /**
   * Returns the login the filter bound for this request.
   *
   * @return the login
   * @throws ApiError 401 {@code not_logged_in} if the request has no logged-in session
   */
  final Login login() {
    return userbound.current().orElseThrow(ApiError::notLoggedIn);
  }

  /**
   * Reads a small JSON object body.
   *
   * @param request a request with {@code Content-Type: application/json}
   * @return the object
   * @throws ApiError 400 if the content type, size or syntax is wrong, or it is not an object
   */
  final ObjectNode body(HttpServletRequest request) {
    String type = request.getContentType();
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      throw ApiError.badRequest();
    }
    try (InputStream in = request.getInputStream()) {
      byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
      if (bytes.length > MAX_BODY_BYTES) {
        throw ApiError.badRequest();
      }
      JsonNode node = json.readTree(bytes);
      if (node instanceof ObjectNode object) {
        return object;
      }
      throw ApiError.badRequest();
    } catch (JsonProcessingException e) {
      throw ApiError.badRequest();
    } catch (IOException e) {
      throw ApiError.badRequest();
    }
  }

  /**
   * Writes a JSON answer.
   *
   * @param response the response
   * @param status the HTTP status
   * @param body what to serialize, or {@code null} for no body
   * @throws IOException if writing fails
   */
  final void write(HttpServletResponse response, int status, Object body) throws IOException {
    response.setStatus(status);
    response.setHeader("Cache-Control", "no-store");
    if (body != null) {
      response.setContentType("application/json;charset=UTF-8");
      json.writeValue(response.getOutputStream(), body);
    }
  }

  /**
   * Writes {@code {"error": code}}.
   *
   * @param response the response
   * @param status the HTTP status
   * @param code the error code
   * @throws IOException if writing fails
   */
  final void error(HttpServletResponse response, int status, String code) throws IOException {
    if (response.isCommitted()) {
      return;
    }
    response.resetBuffer();
    if (status == 503 && !response.containsHeader("Retry-After")) {
      response.setHeader("Retry-After", "5");
    }
    write(response, status, Map.of("error", code));
  }
}

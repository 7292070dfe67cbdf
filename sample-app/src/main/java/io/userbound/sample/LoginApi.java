package io.userbound.sample;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.userbound.core.AccessDeniedException;
import io.userbound.core.Login;
import io.userbound.core.LoginFailedException;
import io.userbound.core.Userbound;
import io.userbound.servlet.LoginService;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * {@code POST /api/login} with {@code {"username": "...", "password": "..."}}: PostgreSQL
 * checks the password (through {@link LoginService}, which also rotates the session id and
 * keeps the login server-side). 200 {@code {"user": "<role>"}}, 401 {@code login_failed}
 * for any refusal, 400 {@code bad_request} for a malformed body.
 *
 * <p>Binding-servlet's own {@code LoginServlet} takes a form with {@code role}; this API
 * takes JSON, so it parses the body itself, reading the password straight into a
 * {@code char[]} that is wiped after the login.
 */
@Singleton
final class LoginApi extends ApiServlet {

  private static final long serialVersionUID = 1L;
  private static final int MAX_FIELD_CHARS = 1024;

  private final transient LoginService logins;

  @Inject
  LoginApi(ObjectMapper json, Userbound userbound, LoginService logins) {
    super(json, userbound);
    this.logins = logins;
  }

  @Override
  Reply post(HttpServletRequest request) {
    String type = request.getContentType();
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      throw ApiError.badRequest();
    }
    String username = null;
    char[] password = null;
    byte[] bytes = null;
    try (InputStream in = request.getInputStream()) {
      bytes = in.readNBytes(MAX_BODY_BYTES + 1);
      if (bytes.length > MAX_BODY_BYTES) {
        throw ApiError.badRequest();
      }
      try (JsonParser p = json.getFactory().createParser(bytes)) {
        if (p.nextToken() != JsonToken.START_OBJECT) {
          throw ApiError.badRequest();
        }
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
          String field = p.currentName();
          JsonToken value = p.nextToken();
          if ("username".equals(field) && value == JsonToken.VALUE_STRING && username == null) {
            username = p.getText();
          } else if ("password".equals(field)
              && value == JsonToken.VALUE_STRING
              && password == null) {
            password =
                Arrays.copyOfRange(
                    p.getTextCharacters(),
                    p.getTextOffset(),
                    p.getTextOffset() + p.getTextLength());
          } else if ("username".equals(field) || "password".equals(field)) {
            throw ApiError.badRequest();
          } else {
            p.skipChildren();
          }
        }
        if (p.nextToken() != null) {
          throw ApiError.badRequest();
        }
      }
      if (username == null
          || username.isEmpty()
          || username.length() > MAX_FIELD_CHARS
          || password == null
          || password.length == 0
          || password.length > MAX_FIELD_CHARS) {
        throw ApiError.badRequest();
      }
      Login login = logins.login(request, username, password);
      return Reply.ok(Map.of("user", login.role()));
    } catch (JsonProcessingException e) {
      throw ApiError.badRequest();
    } catch (IOException e) {
      throw ApiError.badRequest();
    } catch (LoginFailedException | AccessDeniedException e) {
      // Also "may not connect to the login database": the person cannot use the app.
      throw ApiError.loginFailed();
    } finally {
      if (password != null) {
        Arrays.fill(password, '\0');
      }
      if (bytes != null) {
        Arrays.fill(bytes, (byte) 0);
      }
    }
  }
}

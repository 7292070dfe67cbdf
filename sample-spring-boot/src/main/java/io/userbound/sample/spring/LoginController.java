package io.userbound.sample.spring;

import io.userbound.spring.UserboundAuthenticationProvider;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/login {"username", "password"}}: the JSON login of sample-app, through the
 * same {@link UserboundAuthenticationProvider} as the form at {@code /login}.
 */
@RestController
class LoginController {

  private static final int MAX_FIELD_CHARS = 1024;

  private final ProviderManager authentication;
  private final SecurityContextHolderStrategy contexts =
      SecurityContextHolder.getContextHolderStrategy();
  private final SecurityContextRepository repository = new HttpSessionSecurityContextRepository();

  LoginController(UserboundAuthenticationProvider provider) {
    this.authentication = new ProviderManager(provider);
  }

  record Credentials(String username, String password) {
    @Override
    public String toString() {
      return "Credentials[username=" + username + "]";
    }
  }

  @PostMapping(path = "/api/login", consumes = MediaType.APPLICATION_JSON_VALUE)
  Map<String, String> login(
      @RequestBody Credentials credentials,
      HttpServletRequest request,
      HttpServletResponse response) {
    if (credentials == null || !fits(credentials.username()) || !fits(credentials.password())) {
      throw new ApiErrors.BadRequest();
    }
    Authentication person =
        authentication.authenticate(
            UsernamePasswordAuthenticationToken.unauthenticated(
                credentials.username(), credentials.password()));
    SecurityContext context = contexts.createEmptyContext();
    context.setAuthentication(person);
    contexts.setContext(context);
    repository.saveContext(context, request, response);
    return Map.of("user", person.getName());
  }

  private static boolean fits(String field) {
    return field != null && !field.isEmpty() && field.length() <= MAX_FIELD_CHARS;
  }
}

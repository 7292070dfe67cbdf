package io.userbound.guice;

import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.servlet.ServletModule;
import io.userbound.core.Userbound;
import io.userbound.servlet.LoginService;
import io.userbound.servlet.LoginServlet;
import io.userbound.servlet.LogoutServlet;
import io.userbound.servlet.RequestHook;
import io.userbound.servlet.UserboundFilter;
import io.userbound.servlet.UserboundSessionListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Filters requests through the {@link UserboundFilter}, binds the {@link LoginService} and the
 * {@link UserboundSessionListener}, and optionally serves the {@link LoginServlet} and
 * {@link LogoutServlet}.
 *
 * <pre>{@code
 * Injector injector = Guice.createInjector(new UserboundModule(config),
 *     UserboundServletModule.builder().loginPath("/login").logoutPath("/logout").build(),
 *     new ServletModule() { protected void configureServlets() { serve("/api/*").with(Api.class); } });
 * // register this injector's GuiceFilter, for REQUEST, ASYNC and ERROR dispatches:
 * context.addFilter("guice", injector.getInstance(GuiceFilter.class))
 *     .addMappingForUrlPatterns(EnumSet.of(REQUEST, ASYNC, ERROR), false, "/*");
 * }</pre>
 *
 * <p>Needs a {@link Userbound} binding, from {@link UserboundModule} or the application. The
 * filter runs the {@code Set<RequestHook>} multibinding ({@link UserboundHibernateModule}
 * adds one that closes the request's unit of work); the set may be empty. Guice-servlet runs
 * every module's filters before any servlet, in the order the modules were installed: install
 * this module before modules whose filters need the person bound.
 *
 * <p>Guice-servlet cannot register listeners, and none is needed: the value the login service
 * keeps in the session ends the login when the container unbinds it at expiry. To register
 * the listener as well: {@code
 * context.addListener(injector.getInstance(UserboundSessionListener.class))}.
 *
 * <p>Immutable; build with {@link #builder()}.
 */
public final class UserboundServletModule extends ServletModule {

  private final List<String> filterPatterns;
  private final @Nullable String loginPath;
  private final @Nullable String logoutPath;
  private final LoginService.Builder logins;

  /** Creates the module with the defaults: filter {@code /*}, no login or logout servlet. */
  public UserboundServletModule() {
    this(builder());
  }

  private UserboundServletModule(Builder b) {
    this.filterPatterns = List.copyOf(b.filterPatterns);
    this.loginPath = b.loginPath;
    this.logoutPath = b.logoutPath;
    this.logins =
        LoginService.builder()
            .allowOrigins(b.allowedOrigins.toArray(String[]::new))
            .trustProxies(b.trustedProxies.toArray(String[]::new))
            .ipv6ThrottlePrefix(b.ipv6ThrottlePrefix)
            .bearerTokens(b.bearerTokens);
  }

  /**
   * Starts a builder with the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  protected void configureServlets() {
    Multibinder.newSetBinder(binder(), RequestHook.class);
    filter(
            filterPatterns.get(0),
            filterPatterns.subList(1, filterPatterns.size()).toArray(String[]::new))
        .through(UserboundFilter.class);
    if (loginPath != null) {
      serve(loginPath).with(LoginServlet.class);
    }
    if (logoutPath != null) {
      serve(logoutPath).with(LogoutServlet.class);
    }
  }

  @Provides
  @Singleton
  LoginService loginService(Userbound userbound) {
    return logins.build(userbound);
  }

  @Provides
  @Singleton
  UserboundFilter filter(LoginService logins, Set<RequestHook> hooks) {
    return new UserboundFilter(logins, hooks);
  }

  @Provides
  @Singleton
  UserboundSessionListener sessionListener(LoginService logins) {
    return new UserboundSessionListener(logins);
  }

  @Provides
  @Singleton
  LoginServlet loginServlet(LoginService logins) {
    return new LoginServlet(logins);
  }

  @Provides
  @Singleton
  LogoutServlet logoutServlet(LoginService logins) {
    return new LogoutServlet(logins);
  }

  @Override
  public String toString() {
    return "UserboundServletModule[filter="
        + filterPatterns
        + ", login="
        + loginPath
        + ", logout="
        + logoutPath
        + "]";
  }

  /**
   * Builds a {@link UserboundServletModule}. Each setter checks its argument at once. Not
   * thread-safe.
   */
  public static final class Builder {

    private List<String> filterPatterns = List.of("/*");
    private @Nullable String loginPath;
    private @Nullable String logoutPath;
    private final List<String> allowedOrigins = new ArrayList<>();
    private final List<String> trustedProxies = new ArrayList<>();
    private int ipv6ThrottlePrefix = 64;
    private boolean bearerTokens;

    private Builder() {}

    /**
     * The URL patterns the filter applies to. Default {@code /*}.
     *
     * @param first a servlet URL pattern
     * @param more further patterns
     * @return this builder
     * @throws IllegalArgumentException if a pattern is empty
     */
    public Builder filterPatterns(String first, String... more) {
      List<String> all = new ArrayList<>();
      all.add(first);
      all.addAll(List.of(more));
      for (String p : all) {
        if (Objects.requireNonNull(p, "filterPatterns").isBlank()) {
          throw new IllegalArgumentException("filterPatterns = " + all + ": a pattern is empty");
        }
      }
      this.filterPatterns = all;
      return this;
    }

    /**
     * Origins besides the request's own that may send logins and logouts; see
     * {@link LoginService.Builder#allowOrigins(String...)}. Default: none.
     *
     * @param origins origins as browsers send them, e.g. {@code https://app.example.com}
     * @return this builder
     * @throws IllegalArgumentException if an origin is not {@code scheme://host[:port]}
     */
    public Builder allowOrigins(String... origins) {
      LoginService.builder().allowOrigins(origins); // checks them now
      allowedOrigins.addAll(List.of(origins));
      return this;
    }

    /**
     * Proxies whose {@code X-Forwarded-*} headers are believed; see
     * {@link LoginService.Builder#trustProxies(String...)}. Default: none.
     *
     * @param addresses IP addresses or blocks
     * @return this builder
     * @throws IllegalArgumentException if an entry is not an IP address or block
     */
    public Builder trustProxies(String... addresses) {
      LoginService.builder().trustProxies(addresses); // checks them now
      trustedProxies.addAll(List.of(addresses));
      return this;
    }

    /**
     * How many leading bits of an IPv6 address name one client for login throttling; see
     * {@link LoginService.Builder#ipv6ThrottlePrefix(int)}. Default: 64.
     *
     * @param bits the prefix length, from 1 to 128
     * @return this builder
     * @throws IllegalArgumentException if {@code bits} is not from 1 to 128
     */
    public Builder ipv6ThrottlePrefix(int bits) {
      LoginService.builder().ipv6ThrottlePrefix(bits); // checks it now
      this.ipv6ThrottlePrefix = bits;
      return this;
    }

    /**
     * Whether each request's {@code Authorization: Bearer} token logs its person in for that
     * request; see {@link LoginService.Builder#bearerTokens(boolean)}. Needs an {@link
     * io.userbound.core.IdentityVerifier} in the Userbound configuration (binding-servlet's
     * {@code JwtIdentityVerifier}, say). Default false.
     *
     * @param on true to accept bearer tokens
     * @return this builder
     */
    public Builder bearerTokens(boolean on) {
      this.bearerTokens = on;
      return this;
    }

    /**
     * Serves the {@link LoginServlet} at a path. Default: not served.
     *
     * @param path a servlet URL pattern starting with {@code /}, e.g. {@code /login}
     * @return this builder
     * @throws IllegalArgumentException if the path does not start with {@code /}
     */
    public Builder loginPath(String path) {
      this.loginPath = checkPath("loginPath", path);
      return this;
    }

    /**
     * Serves the {@link LogoutServlet} at a path. Default: not served.
     *
     * @param path a servlet URL pattern starting with {@code /}, e.g. {@code /logout}
     * @return this builder
     * @throws IllegalArgumentException if the path does not start with {@code /}
     */
    public Builder logoutPath(String path) {
      this.logoutPath = checkPath("logoutPath", path);
      return this;
    }

    /**
     * Builds the module.
     *
     * @return the module
     * @throws IllegalArgumentException if login and logout are served at the same path
     */
    public UserboundServletModule build() {
      if (loginPath != null && loginPath.equals(logoutPath)) {
        throw new IllegalArgumentException(
            "loginPath = logoutPath = " + loginPath + ": serve them at different paths");
      }
      return new UserboundServletModule(this);
    }

    private static String checkPath(String what, String path) {
      Objects.requireNonNull(path, what);
      if (!path.startsWith("/")) {
        throw new IllegalArgumentException(what + " = '" + path + "': must start with '/'");
      }
      return path;
    }
  }
}

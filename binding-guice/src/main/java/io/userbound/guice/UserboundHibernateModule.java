package io.userbound.guice;

import com.google.inject.AbstractModule;
import com.google.inject.Inject;
import com.google.inject.Provider;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import io.userbound.core.Userbound;
import io.userbound.hibernate.EntityMapping;
import io.userbound.hibernate.UnitOfWork;
import io.userbound.hibernate.UserboundHibernate;
import io.userbound.servlet.RequestHook;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Binds the {@link EntityMapping}, a {@link UserboundHibernate} built from it (at injector
 * creation, so a mapping error stops start-up), a {@link RequestUnitOfWork}, and
 * {@link UnitOfWork} itself, per request: inject {@code Provider<UnitOfWork>} and call
 * {@code get()} during a request to obtain the request's unit of work, opened on first use.
 *
 * <pre>{@code
 * Injector injector = Guice.createInjector(
 *     new UserboundModule(config),
 *     new UserboundHibernateModule(mapping),
 *     new UserboundServletModule());
 *
 * class InvoiceServlet extends HttpServlet {
 *   @Inject Provider<UnitOfWork> work;
 *   ... work.get().of(Invoice.class).find(Invoice.class, id) ...
 * }
 * }</pre>
 *
 * <p>Needs a {@link Userbound} binding, from {@link UserboundModule} or the application. It
 * adds the {@link RequestUnitOfWork} to the {@code Set<RequestHook>} that
 * {@link UserboundServletModule}'s filter runs, which closes the unit of work at the end of
 * each request. Without that module (no filter), close what {@code get()} opened yourself, on
 * the same thread ({@code try (UnitOfWork w = unitOfWork.get()) ...}).
 *
 * <p>This does not use Guice's {@code @RequestScoped} (which needs {@code GuiceFilter}'s
 * request context): the unit of work is the thread's current one, which lasts exactly the
 * bound request because the filter closes it.
 *
 * <p><b>Lifecycle.</b> Close the {@link UserboundHibernate} at shutdown, before the
 * {@link Userbound}: {@code injector.getInstance(UserboundHibernate.class).close()}.
 * Thread-safe once the injector is built.
 */
public final class UserboundHibernateModule extends AbstractModule {

  private final EntityMapping mapping;
  private final Consumer<UserboundHibernate.Builder> customizer;

  /**
   * Creates the module with Hibernate's default settings.
   *
   * @param mapping which packages' entities live in which database
   */
  public UserboundHibernateModule(EntityMapping mapping) {
    this(mapping, builder -> {});
  }

  /**
   * Creates the module, letting the application add Hibernate settings.
   *
   * @param mapping which packages' entities live in which database
   * @param customizer called with the builder before it builds, e.g.
   *     {@code b -> b.setting("hibernate.show_sql", "true")}
   */
  public UserboundHibernateModule(
      EntityMapping mapping, Consumer<UserboundHibernate.Builder> customizer) {
    this.mapping = Objects.requireNonNull(mapping, "mapping");
    this.customizer = Objects.requireNonNull(customizer, "customizer");
  }

  @Override
  protected void configure() {
    bind(EntityMapping.class).toInstance(mapping);
    bind(UserboundHibernate.class)
        .toProvider(new HibernateCreator(mapping, customizer))
        .asEagerSingleton();
    Multibinder.newSetBinder(binder(), RequestHook.class).addBinding().to(RequestUnitOfWork.class);
  }

  @Provides
  @Singleton
  RequestUnitOfWork requestUnitOfWork(UserboundHibernate hibernate) {
    return RequestUnitOfWork.of(hibernate);
  }

  @Provides
  UnitOfWork unitOfWork(RequestUnitOfWork work) {
    return work.get();
  }

  @Override
  public String toString() {
    return "UserboundHibernateModule[" + mapping + "]";
  }

  /** Builds the instance once, for the eager singleton; Guice injects the Userbound. */
  static final class HibernateCreator implements Provider<UserboundHibernate> {

    private final EntityMapping mapping;
    private final Consumer<UserboundHibernate.Builder> customizer;

    @SuppressWarnings("NullAway.Init") // Guice calls the @Inject setter before get()
    private Userbound userbound;

    HibernateCreator(EntityMapping mapping, Consumer<UserboundHibernate.Builder> customizer) {
      this.mapping = mapping;
      this.customizer = customizer;
    }

    @Inject
    void setUserbound(Userbound userbound) {
      this.userbound = userbound;
    }

    @Override
    public UserboundHibernate get() {
      UserboundHibernate.Builder builder = UserboundHibernate.builder(userbound, mapping);
      customizer.accept(builder);
      return builder.build();
    }
  }
}

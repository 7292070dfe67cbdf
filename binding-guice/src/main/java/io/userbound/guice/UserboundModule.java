package io.userbound.guice;

import com.google.inject.AbstractModule;
import com.google.inject.Inject;
import com.google.inject.Key;
import com.google.inject.Provider;
import com.google.inject.Singleton;
import com.google.inject.name.Names;
import io.userbound.core.DatabaseConfig;
import io.userbound.core.Userbound;
import io.userbound.core.UserboundConfig;
import java.util.Objects;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Binds a {@link Userbound} and its configuration, and for each declared database a
 * {@link DataSource} named after it ({@code @Named("finance") DataSource}) that hands out
 * connections of whoever is bound to the calling thread.
 *
 * <pre>{@code
 * Injector injector = Guice.createInjector(new UserboundModule(config), ...);
 * }</pre>
 *
 * <p><b>Lifecycle.</b> Built from a {@link UserboundConfig}, the module creates the instance
 * when the injector is created (an eager singleton; it opens no connection until the first
 * login). Guice has no shutdown, so the application closes it at shutdown, for example in
 * {@code ServletContextListener.contextDestroyed}:
 * {@code injector.getInstance(Userbound.class).close()} (after closing a
 * {@code UserboundHibernate}, if any). Built from an existing {@link Userbound}, the module
 * only binds it, and whoever created it closes it.
 *
 * <p>Needs neither servlets nor Hibernate. Thread-safe once the injector is built.
 */
public final class UserboundModule extends AbstractModule {

  private final UserboundConfig config;
  private final @Nullable Userbound userbound;

  /**
   * Creates a module that creates the instance from a configuration.
   *
   * @param config the databases
   */
  public UserboundModule(UserboundConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.userbound = null;
  }

  /**
   * Creates a module that binds an existing instance; its creator closes it.
   *
   * @param userbound the instance
   */
  public UserboundModule(Userbound userbound) {
    this.userbound = Objects.requireNonNull(userbound, "userbound");
    this.config = userbound.config();
  }

  @Override
  protected void configure() {
    bind(UserboundConfig.class).toInstance(config);
    if (userbound != null) {
      bind(Userbound.class).toInstance(userbound);
    } else {
      bind(Userbound.class).toProvider(new Creator(config)).asEagerSingleton();
    }
    for (DatabaseConfig db : config.databases()) {
      bind(Key.get(DataSource.class, Names.named(db.name())))
          .toProvider(new DataSourceProvider(db.name()))
          .in(Singleton.class);
    }
  }

  @Override
  public String toString() {
    return "UserboundModule[" + config + "]";
  }

  /** Creates the instance once, for the eager singleton. */
  static final class Creator implements Provider<Userbound> {

    private final UserboundConfig config;

    Creator(UserboundConfig config) {
      this.config = config;
    }

    @Override
    public Userbound get() {
      return Userbound.create(config);
    }
  }

  /** The data source of one database; Guice injects the instance. */
  static final class DataSourceProvider implements Provider<DataSource> {

    private final String database;

    @SuppressWarnings("NullAway.Init") // Guice calls the @Inject setter before get()
    private Userbound userbound;

    DataSourceProvider(String database) {
      this.database = database;
    }

    @Inject
    void setUserbound(Userbound userbound) {
      this.userbound = userbound;
    }

    @Override
    public DataSource get() {
      return userbound.dataSource(database);
    }
  }
}

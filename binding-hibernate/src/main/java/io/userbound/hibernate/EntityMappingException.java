package io.userbound.hibernate;

import io.userbound.core.UserboundException;
import org.jspecify.annotations.Nullable;

/**
 * The entity mapping cannot work: an entity is in no mapped package or in packages mapped
 * to two databases, a package is mapped to a database the Userbound configuration does not
 * declare, a mapped package holds no entity, Hibernate refused the entities of a database,
 * or a schema validation failed. Thrown at start-up (or by
 * {@link UserboundHibernate#validateSchema(io.userbound.core.Login)}); the message names the
 * classes, packages and databases involved.
 */
public final class EntityMappingException extends UserboundException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what is wrong and how to fix it
   * @param cause Hibernate's exception behind it, or {@code null}
   */
  public EntityMappingException(String message, @Nullable Throwable cause) {
    super(message, null, cause);
  }
}

/**
 * Userbound for Hibernate ORM: entity packages mapped to databases once at start-up, and
 * per-request Hibernate sessions that run as the logged-in person.
 *
 * <p>Start with {@link io.userbound.hibernate.EntityMapping} and
 * {@link io.userbound.hibernate.UserboundHibernate}; each request works through a
 * {@link io.userbound.hibernate.UnitOfWork}. PostgreSQL's "permission denied" surfaces as
 * {@link io.userbound.hibernate.PermissionDeniedException}, a
 * {@link io.userbound.core.AccessDeniedException}.
 */
@NullMarked
package io.userbound.hibernate;

import org.jspecify.annotations.NullMarked;

/**
 * Guice 7 modules for Userbound, each usable on its own:
 * {@link io.userbound.guice.UserboundModule} (core: the {@code Userbound} and a
 * {@code DataSource} per database), {@link io.userbound.guice.UserboundHibernateModule}
 * (the entity mapping, {@code UserboundHibernate} and a per-request {@code UnitOfWork}) and
 * {@link io.userbound.guice.UserboundServletModule} (the filter, login service and optional
 * login and logout servlets); and {@link io.userbound.guice.RequestUnitOfWork}, the
 * request hook that gives servlets the request's Hibernate unit of work (with or without
 * Guice).
 *
 * <p>Nothing here uses static state. Create the {@code GuiceFilter} of each application with
 * {@code injector.getInstance(GuiceFilter.class)} rather than {@code new GuiceFilter()} (which
 * reads Guice's static pipeline), so that two injectors in one JVM stay apart.
 */
@NullMarked
package io.userbound.guice;

import org.jspecify.annotations.NullMarked;

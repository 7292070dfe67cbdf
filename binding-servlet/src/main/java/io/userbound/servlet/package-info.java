/**
 * Userbound for Jakarta Servlet 6: log people in with their own PostgreSQL role, bind every
 * request to the person, and close their pools at logout and session expiry.
 *
 * <p>Plain servlet wiring: create a {@link io.userbound.servlet.LoginService} for the
 * application's {@link io.userbound.core.Userbound}, register a
 * {@link io.userbound.servlet.UserboundFilter} for the {@code REQUEST}, {@code ASYNC} and
 * {@code ERROR} dispatcher types, optionally a {@link
 * io.userbound.servlet.UserboundSessionListener},
 * and serve {@link io.userbound.servlet.LoginServlet} and
 * {@link io.userbound.servlet.LogoutServlet} (or call the service from your own endpoints).
 * Failures map to HTTP answers with {@link io.userbound.servlet.HttpError}. With Hibernate,
 * give the filter binding-guice's {@code io.userbound.guice.RequestUnitOfWork}, a
 * {@link io.userbound.servlet.RequestHook}; the Guice modules are in binding-guice too.
 */
@NullMarked
package io.userbound.servlet;

import org.jspecify.annotations.NullMarked;

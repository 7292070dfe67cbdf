/**
 * Spring Boot auto-configuration for Userbound: {@code userbound.*} properties ({@link
 * io.userbound.spring.UserboundProperties}), the {@link io.userbound.core.Userbound} bean and a
 * {@code DataSource} per database ({@link io.userbound.spring.UserboundAutoConfiguration}), an
 * {@code EntityManagerFactory} and a {@code JpaTransactionManager} per database ({@link
 * io.userbound.spring.UserboundJpaAutoConfiguration}), and Spring Security logins verified by
 * PostgreSQL ({@link io.userbound.spring.UserboundSecurityAutoConfiguration}), and the {@code
 * db} health contributor ({@link io.userbound.spring.UserboundHealthAutoConfiguration}) and
 * Micrometer meters ({@link io.userbound.spring.UserboundMetricsAutoConfiguration}).
 */
@NullMarked
package io.userbound.spring;

import org.jspecify.annotations.NullMarked;

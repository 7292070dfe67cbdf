/**
 * The Userbound sample application: people log in to a small finance/staff web application
 * with their own PostgreSQL role; {@code finance} and {@code staff} live on two servers.
 * Start it with {@link io.userbound.sample.SampleApp#main(String[])}.
 *
 * <p>Everything but the entity packages is an implementation detail of the application.
 */
package io.userbound.sample;

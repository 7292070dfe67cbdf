/**
 * Tests of the test kit's internals: local server lifecycle, source selection, and the one-way
 * dependency of servers and PgBouncer.
 */
package io.userbound.testkit.internal;

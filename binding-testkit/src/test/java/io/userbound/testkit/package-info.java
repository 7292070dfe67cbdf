/** Tests of the test kit's API against real PostgreSQL servers. */
package io.userbound.testkit;

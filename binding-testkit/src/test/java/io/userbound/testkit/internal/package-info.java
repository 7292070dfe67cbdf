/** Tests of the test kit's internals: local server lifecycle and source selection. */
package io.userbound.testkit.internal;

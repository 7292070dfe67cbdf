/**
 * The servlet layer's implementation. Not API: anything here may change in any release.
 */
package io.userbound.servlet.internal;

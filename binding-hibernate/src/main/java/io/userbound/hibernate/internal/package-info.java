/**
 * Userbound Hibernate internals: not API, may change.
 */
package io.userbound.hibernate.internal;

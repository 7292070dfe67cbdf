/** Implementation of the Spring Boot auto-configuration: not API, may change in any release. */
package io.userbound.spring.internal;

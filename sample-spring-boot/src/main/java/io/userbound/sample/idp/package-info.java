/**
 * The demo's own OpenID Connect provider: Spring Authorization Server with the demo people as
 * its users, started in the sample's JVM by the {@code sso} profile. Outside the application's
 * package, so that the application's component scan never picks it up.
 */
package io.userbound.sample.idp;

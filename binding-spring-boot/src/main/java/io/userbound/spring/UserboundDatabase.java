package io.userbound.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Says which database the JPA entities of a package (and its subpackages) live in. Put it
 * on the package, in {@code package-info.java}:
 *
 * <pre>
 * &#64;UserboundDatabase("finance")
 * package com.example.finance;
 * </pre>
 *
 * <p>The auto-configuration reads it, without loading any class, below the application's
 * auto-configuration packages (those of {@code @SpringBootApplication}) and below {@code
 * userbound.jpa.scan-packages}. It is the same as {@code
 * userbound.databases.finance.packages=com.example.finance}; naming one package both ways,
 * or to two databases, fails start-up.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PACKAGE)
public @interface UserboundDatabase {

  /**
   * The database's name, as under {@code userbound.databases}.
   *
   * @return the name
   */
  String value();
}

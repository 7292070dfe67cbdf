package io.userbound.sample.spring;

import io.userbound.core.Userbound;
import io.userbound.servlet.HealthServlet;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@code GET /health}: binding-servlet's health servlet, per database, no login needed. */
@Configuration(proxyBeanMethods = false)
class HealthConfig {

  @Bean
  ServletRegistrationBean<HealthServlet> health(Userbound userbound) {
    return new ServletRegistrationBean<>(new HealthServlet(userbound), "/health");
  }
}

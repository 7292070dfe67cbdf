package io.userbound.sample.spring;

import java.io.PrintStream;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** Prints where the sample listens once it is ready, as the last line of start-up. */
@Component
class ReadyBanner {

  @EventListener(ApplicationReadyEvent.class)
  void ready(ApplicationReadyEvent event) {
    Environment env = event.getApplicationContext().getEnvironment();
    String port = env.getProperty("local.server.port");
    if (port == null) {
      return; // no web server (a test without one)
    }
    String address = env.getProperty("server.address", "127.0.0.1");
    PrintStream out = System.out;
    out.println();
    out.println(
        "Userbound Spring Boot sample: every person logs in with their own PostgreSQL role.");
    if (event.getApplicationContext().containsBean("demoServers")) {
      out.println("Demo logins: alice / alice-pw, bob / bob-pw, carol / carol-pw, dave / dave-pw");
    }
    out.println("Ctrl-C stops it.");
    out.println("Listening on http://" + address + ":" + port + "/");
    out.flush();
  }
}

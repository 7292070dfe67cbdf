package io.userbound.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class ExtensionFirstClassTest {
  private static PostgresServer fromBeforeAll;
  private static TestNames classNames;
  private final PostgresServer fromConstructor;
  private final TestNames constructorNames;
  private TestNames beforeEachNames;

  ExtensionFirstClassTest(PostgresServer server, TestNames names) {
    this.fromConstructor = server;
    this.constructorNames = names;
  }

  @BeforeAll
  static void beforeAll(PostgresServer server, TestNames names) {
    fromBeforeAll = server;
    classNames = names;
  }

  @BeforeEach
  void beforeEach(TestNames names) {
    beforeEachNames = names;
  }

  @Test
  void server_isTheSameEverywhere(PostgresServer server) {
    SharedServerWitness.check(server);

    assertThat(fromConstructor).isSameAs(server);
    assertThat(fromBeforeAll).isSameAs(server);
    assertThat(server.isRunning()).isTrue();
  }

  @Test
  void testNames_sameForConstructorBeforeEachAndTestButNotClass(TestNames names) {
    assertThat(constructorNames).isSameAs(names);
    assertThat(beforeEachNames).isSameAs(names);
    assertThat(classNames).isNotSameAs(names);
    assertThat(classNames.prefix()).startsWith("t_extensionfirstclasstest_");
    assertThat(names.prefix()).startsWith("t_testnames_sameforconstructorb");
  }
}

package io.userbound.sample;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts the embedded default once for all test classes (on a free port) and closes it when
 * the test run ends: servers, pools and web server alike. Inject it as a {@link SampleApp}
 * parameter.
 */
final class SampleAppExtension implements ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(SampleAppExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == SampleApp.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .computeIfAbsent(
            SampleApp.class, k -> SampleApp.start(Options.embedded(0)), SampleApp.class);
  }
}

package io.userbound.spring.internal;

import io.userbound.spring.UserboundDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.io.support.ResourcePatternResolver;
import org.springframework.core.io.support.ResourcePatternUtils;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.core.type.classreading.CachingMetadataReaderFactory;
import org.springframework.core.type.classreading.MetadataReaderFactory;

/* Finds @UserboundDatabase on package-info classes by reading class files, loading nothing. */
final class MappingScan {

  private MappingScan() {}

  /**
   * Returns package name to database name for every annotated package below the roots.
   *
   * @throws IllegalStateException if one package is found with two databases
   */
  static Map<String, String> annotatedPackages(ResourceLoader loader, Collection<String> roots) {
    ResourcePatternResolver resolver = ResourcePatternUtils.getResourcePatternResolver(loader);
    MetadataReaderFactory readers = new CachingMetadataReaderFactory(loader);
    Map<String, String> found = new LinkedHashMap<>();
    for (String root : roots) {
      String pattern =
          ResourcePatternResolver.CLASSPATH_ALL_URL_PREFIX
              + root.replace('.', '/')
              + "/**/package-info.class";
      try {
        for (Resource r : resolver.getResources(pattern)) {
          AnnotationMetadata md = readers.getMetadataReader(r).getAnnotationMetadata();
          Map<String, Object> attributes =
              md.getAnnotationAttributes(UserboundDatabase.class.getName());
          if (attributes == null) {
            continue;
          }
          String className = md.getClassName();
          String packageName = className.substring(0, className.lastIndexOf('.'));
          String database = (String) attributes.get("value");
          String before = found.putIfAbsent(packageName, database);
          if (before != null && !before.equals(database)) {
            throw new IllegalStateException(
                "@UserboundDatabase on package "
                    + packageName
                    + " names both '"
                    + before
                    + "' and '"
                    + database
                    + "' (two package-info classes on the class path)");
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("scanning " + pattern + " for @UserboundDatabase", e);
      }
    }
    return found;
  }
}

package io.userbound.hibernate.internal;

import io.github.classgraph.ClassGraph;
import io.github.classgraph.ClassInfo;
import io.github.classgraph.ScanResult;
import io.userbound.hibernate.EntityMapping;
import io.userbound.hibernate.EntityMappingException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/*
 * Finds the managed classes of each database with ClassGraph and checks the mapping. It
 * scans the mapping's scan roots (the common package of the mapped ones, plus any the user
 * adds) rather than only the mapped packages, so that an entity someone put next to them,
 * in no mapped package, is a start-up error instead of a runtime "unknown entity".
 *
 * @Embeddable, @MappedSuperclass and @Converter classes inside a database's packages are
 * registered with that database too; outside every mapped package they are left alone
 * (Hibernate finds embeddables and superclasses through the entities that use them).
 */
final class EntityScanner {

  private static final String ENTITY = "jakarta.persistence.Entity";
  private static final List<String> OTHER_MANAGED =
      List.of(
          "jakarta.persistence.Embeddable",
          "jakarta.persistence.MappedSuperclass",
          "jakarta.persistence.Converter");

  private EntityScanner() {}

  /** What the scan found: for each database its managed classes, and each entity's database. */
  record Result(Map<String, List<Class<?>>> managedClasses, Map<Class<?>, String> entityDatabases) {

    List<Class<?>> entities(String database) {
      return entityDatabases.entrySet().stream()
          .filter(e -> e.getValue().equals(database))
          .map(Map.Entry::getKey)
          .sorted(Comparator.comparing(Class::getName))
          .collect(Collectors.toUnmodifiableList());
    }
  }

  static Result scan(EntityMapping mapping, Collection<String> declaredDatabases) {
    for (Map.Entry<String, String> e : mapping.packages().entrySet()) {
      if (!declaredDatabases.contains(e.getValue())) {
        throw new EntityMappingException(
            "package "
                + e.getKey()
                + " is mapped to database '"
                + e.getValue()
                + "', which the Userbound configuration does not declare; declared: "
                + declaredDatabases,
            null);
      }
    }
    Set<String> roots = mapping.scanRoots();
    Map<String, String> entityNames = new TreeMap<>();
    Map<String, String> otherNames = new TreeMap<>();
    Map<String, Class<?>> loaded = new LinkedHashMap<>();
    try (ScanResult scan =
        new ClassGraph()
            .enableClassInfo()
            .enableAnnotationInfo()
            .acceptPackages(roots.toArray(String[]::new))
            .scan()) {
      for (ClassInfo c : scan.getClassesWithAnnotation(ENTITY)) {
        entityNames.put(c.getName(), c.getPackageName());
        loaded.put(c.getName(), c.loadClass());
      }
      for (String annotation : OTHER_MANAGED) {
        for (ClassInfo c : scan.getClassesWithAnnotation(annotation)) {
          if (!entityNames.containsKey(c.getName())) {
            otherNames.put(c.getName(), c.getPackageName());
            loaded.put(c.getName(), c.loadClass());
          }
        }
      }
    }

    List<String> unmapped = new ArrayList<>();
    List<String> ambiguous = new ArrayList<>();
    Map<Class<?>, String> entityDatabases = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : entityNames.entrySet()) {
      Map<String, String> covering = covering(mapping, e.getValue());
      Set<String> databases = new TreeSet<>(covering.values());
      if (databases.isEmpty()) {
        unmapped.add(e.getKey());
      } else if (databases.size() > 1) {
        ambiguous.add(
            e.getKey()
                + " is in "
                + covering.entrySet().stream()
                    .map(p -> p.getKey() + " (" + p.getValue() + ")")
                    .collect(Collectors.joining(" and ")));
      } else {
        entityDatabases.put(loaded.get(e.getKey()), databases.iterator().next());
      }
    }
    if (!unmapped.isEmpty()) {
      throw new EntityMappingException(
          (unmapped.size() == 1 ? "entity " : "entities ")
              + String.join(", ", unmapped)
              + (unmapped.size() == 1 ? " is" : " are")
              + " in no mapped package; map "
              + (unmapped.size() == 1 ? "its" : "their")
              + " package to a database (mapped: "
              + describe(mapping)
              + ", scanned: "
              + roots
              + ")",
          null);
    }
    if (!ambiguous.isEmpty()) {
      throw new EntityMappingException(
          "entity "
              + String.join("; entity ", ambiguous)
              + ": packages mapped to different databases overlap; map each entity's package to one"
              + " database",
          null);
    }
    for (Map.Entry<String, String> p : mapping.packages().entrySet()) {
      boolean any = entityNames.values().stream().anyMatch(pkg -> contains(p.getKey(), pkg));
      if (!any) {
        throw new EntityMappingException(
            "mapped package "
                + p.getKey()
                + " (database '"
                + p.getValue()
                + "') and its sub-packages hold no @Entity class; fix the package name or remove"
                + " the mapping",
            null);
      }
    }

    Map<String, List<Class<?>>> managed = new LinkedHashMap<>();
    for (String db : declaredDatabases) {
      List<Class<?>> classes = new ArrayList<>();
      entityDatabases.forEach(
          (c, d) -> {
            if (d.equals(db)) {
              classes.add(c);
            }
          });
      if (classes.isEmpty()) {
        continue;
      }
      otherNames.forEach(
          (name, pkg) -> {
            if (covering(mapping, pkg).containsValue(db)) {
              classes.add(loaded.get(name));
            }
          });
      classes.sort(Comparator.comparing(Class::getName));
      managed.put(db, List.copyOf(classes));
    }
    return new Result(managed, entityDatabases);
  }

  /** The mapped packages that contain a package, with their databases. */
  private static Map<String, String> covering(EntityMapping mapping, String packageName) {
    Map<String, String> result = new TreeMap<>();
    mapping
        .packages()
        .forEach(
            (pkg, db) -> {
              if (contains(pkg, packageName)) {
                result.put(pkg, db);
              }
            });
    return result;
  }

  static boolean contains(String packageName, String name) {
    return name.equals(packageName) || name.startsWith(packageName + ".");
  }

  private static String describe(EntityMapping mapping) {
    return mapping.packages().entrySet().stream()
        .map(e -> e.getKey() + " -> " + e.getValue())
        .collect(Collectors.joining(", ", "[", "]"));
  }
}

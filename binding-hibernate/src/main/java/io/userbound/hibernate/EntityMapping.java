package io.userbound.hibernate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which database holds the entities of which Java package: "entities in
 * {@code com.example.finance} (and its sub-packages) live in {@code finance}". Fixed at
 * start-up; immutable and thread-safe. Create it with {@link #builder()}:
 *
 * <pre>{@code
 * EntityMapping mapping = EntityMapping.builder()
 *     .map("com.example.finance", "finance")   // Employee, Customer, Invoice
 *     .map("com.example.staff", "staff")       // Project, Hour
 *     .build();
 * }</pre>
 *
 * <p>This class only records the declaration. {@link UserboundHibernate.Builder#build()}
 * scans the classpath and checks it: every {@code @Entity} class under the
 * {@linkplain #scanRoots() scan roots} must be in exactly one mapped package (or in several
 * mapped to the same database), every mapped package must hold at least one entity, and
 * every database must be declared in the Userbound configuration. Each problem is an
 * {@link EntityMappingException} naming the class or package.
 */
public final class EntityMapping {

  private static final Pattern PACKAGE =
      Pattern.compile(
          "[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*"
              + "(\\.[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*)*");

  private final Map<String, String> packages;
  private final Set<String> extraRoots;

  private EntityMapping(Builder b) {
    this.packages = Collections.unmodifiableMap(new LinkedHashMap<>(b.packages));
    this.extraRoots = Collections.unmodifiableSet(new LinkedHashSet<>(b.extraRoots));
  }

  /**
   * Starts an empty builder.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the mapped packages and their databases, in the order they were mapped.
   *
   * @return package name to database name; unmodifiable
   */
  public Map<String, String> packages() {
    return packages;
  }

  /**
   * Returns the packages scanned for entities: the longest common package of all mapped
   * packages (whole name segments; {@code com.example} for {@code com.example.finance} and
   * {@code com.example.staff}), or, when they share none, each mapped package itself; plus
   * every package given to {@link Builder#alsoScan(String)}. An entity found under these
   * roots outside every mapped package is a start-up error.
   *
   * @return the scan roots, without duplicates or packages inside another root
   */
  public Set<String> scanRoots() {
    Set<String> roots = new LinkedHashSet<>();
    String common = commonPackage(packages.keySet());
    if (common.isEmpty()) {
      roots.addAll(packages.keySet());
    } else {
      roots.add(common);
    }
    roots.addAll(extraRoots);
    Set<String> minimal = new LinkedHashSet<>();
    for (String r : roots) {
      boolean covered = false;
      for (String other : roots) {
        if (!other.equals(r) && contains(other, r)) {
          covered = true;
          break;
        }
      }
      if (!covered) {
        minimal.add(r);
      }
    }
    return Collections.unmodifiableSet(minimal);
  }

  private static boolean contains(String packageName, String name) {
    return name.equals(packageName) || name.startsWith(packageName + ".");
  }

  private static String commonPackage(Set<String> names) {
    List<String> common = null;
    for (String n : names) {
      List<String> parts = List.of(n.split("\\."));
      if (common == null) {
        common = new ArrayList<>(parts);
      } else {
        int i = 0;
        while (i < common.size() && i < parts.size() && common.get(i).equals(parts.get(i))) {
          i++;
        }
        common = new ArrayList<>(common.subList(0, i));
      }
    }
    return common == null ? "" : String.join(".", common);
  }

  /** {@return the mapping, for logs} */
  @Override
  public String toString() {
    return "EntityMapping" + packages + (extraRoots.isEmpty() ? "" : ", alsoScan=" + extraRoots);
  }

  /**
   * Builds an {@link EntityMapping}. Each method checks its arguments at once and throws
   * {@link IllegalArgumentException} naming the value. Not thread-safe.
   */
  public static final class Builder {

    private final Map<String, String> packages = new LinkedHashMap<>();
    private final Set<String> extraRoots = new LinkedHashSet<>();

    private Builder() {}

    /**
     * Maps the entities of a package and its sub-packages to a database.
     *
     * @param packageName a Java package name, e.g. {@code "com.example.finance"}
     * @param database a database name declared in the Userbound configuration (checked when
     *     {@link UserboundHibernate} is built)
     * @return this builder
     * @throws IllegalArgumentException if the package name is malformed, the database name
     *     is empty, or the package is mapped already
     */
    public Builder map(String packageName, String database) {
      Objects.requireNonNull(packageName, "packageName");
      Objects.requireNonNull(database, "database");
      requirePackage("packageName", packageName);
      if (database.isBlank()) {
        throw new IllegalArgumentException(
            "database = '" + database + "' for package " + packageName + ": must not be empty");
      }
      String previous = packages.get(packageName);
      if (previous != null) {
        throw new IllegalArgumentException(
            "packageName = "
                + packageName
                + ": mapped twice (to '"
                + previous
                + "' and to '"
                + database
                + "'); map each package once");
      }
      packages.put(packageName, database);
      return this;
    }

    /**
     * Adds a package to scan for entities that no mapped package covers, beyond the common
     * package of the mapped ones (see {@link EntityMapping#scanRoots()}). Use it when mapped
     * packages share no common package, or to check a wider part of the classpath.
     *
     * @param packageName a Java package name
     * @return this builder
     * @throws IllegalArgumentException if the package name is malformed
     */
    public Builder alsoScan(String packageName) {
      Objects.requireNonNull(packageName, "packageName");
      requirePackage("alsoScan", packageName);
      extraRoots.add(packageName);
      return this;
    }

    /**
     * Builds the mapping.
     *
     * @return the immutable mapping
     * @throws IllegalArgumentException if no package was mapped
     */
    public EntityMapping build() {
      if (packages.isEmpty()) {
        throw new IllegalArgumentException("packages = {}: map at least one package to a database");
      }
      return new EntityMapping(this);
    }

    private static void requirePackage(String what, String name) {
      if (!PACKAGE.matcher(name).matches()) {
        throw new IllegalArgumentException(what + " = '" + name + "': not a Java package name");
      }
    }
  }
}

/** Entities of the database "one", mapped by the package annotation. */
@UserboundDatabase("one")
package io.userbound.spring.entities.one;

import io.userbound.spring.UserboundDatabase;

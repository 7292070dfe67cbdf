package io.userbound.testkit;

import org.jspecify.annotations.Nullable;

/**
 * One client backend (one open connection) of a server, as listed in
 * {@code pg_stat_activity}.
 *
 * <p>Immutable and thread-safe; a snapshot that may be out of date as soon as it is read.
 *
 * @param pid the backend's process id
 * @param user the role the connection logged in as ({@code usename})
 * @param database the database it is connected to ({@code datname})
 * @param state {@code active}, {@code idle}, {@code idle in transaction}, ...; may be null
 * @param applicationName the {@code application_name} the client set; may be empty
 */
public record Backend(
    int pid, String user, String database, @Nullable String state, String applicationName) {}

/**
 * The SQL guard: reads statement text as the PostgreSQL server and pgjdbc will, and says what
 * running it may do. Not API: anything here may change in any release.
 *
 * <p>Its one entry is {@code SqlClassifier.classify} and the flags it returns, which the
 * connection layer ({@code PooledConnection}) asks of every text a request runs; that and
 * nothing else is public. The guard knows nothing of the rest of Userbound.
 *
 * <pre>
 *   SqlClassifier  what a text may do: SESSION, PREPARED, ROLE, UNREADABLE
 *   SqlLexer       PostgreSQL's scan.l, redone: the server's tokens
 *   PgjdbcSplit    where pgjdbc cuts and binds the same text
 *   SqlNames       the name lists, loaded from the sql-*.txt resources beside it
 * </pre>
 */
package io.userbound.core.internal.sql;

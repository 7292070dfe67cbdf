package io.userbound.benchmarks;

import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/*
 * c3p0's ComboPooledDataSource.getConnection(user, password), one pool per person.
 *
 * c3p0 hands connections back asynchronously (a borrow right after a return may wait for
 * it) and keeps at least one connection per person (minPoolSize 1) with no cap across users:
 * no 10,000 people, as for DBCP2.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class C3p0Benchmark extends PerUserDataSource {

  @Override
  DataSource create() {
    return Pools.c3p0(fixture, validate);
  }
}

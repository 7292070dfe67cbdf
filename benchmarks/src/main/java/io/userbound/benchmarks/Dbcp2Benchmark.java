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
 * commons-dbcp2's PerUserPoolDataSource over pgjdbc's ConnectionPoolDataSource, one pool per
 * person.
 *
 * No 10,000 people: DBCP2 has no cap across users, so every person keeps an idle connection
 * open and 10,000 people need 10,000 server backends, far above any max_connections this
 * 2-core machine can run. Not measured, not faked.
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
public class Dbcp2Benchmark extends PerUserDataSource {

  @Override
  DataSource create() {
    return Pools.dbcp2(fixture, validate);
  }
}

package io.userbound.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Records, with JDK Flight Recorder in this JVM, every time a virtual thread blocks while
 * pinned to its carrier ({@code jdk.VirtualThreadPinned}, threshold 0, with stack traces), for
 * tests that must show that Userbound never pins. Needs JDK 21 or newer to see any virtual
 * thread; the class itself compiles for 17 and creates virtual threads by reflection.
 *
 * <p>Use: {@link #start()}, run the load, {@link #stop()}; {@link #pinOnPurpose()} in between
 * proves the recording sees pinning at all (a test that finds no pinning because nothing was
 * recorded would prove nothing). The stack depth JFR keeps is 64 frames unless the JVM runs
 * with {@code -XX:FlightRecorderOptions:stackdepth=N}; {@link PinnedEvent#truncated()} tells.
 *
 * <p>One recording per instance; not thread-safe (start and stop from the test's thread).
 */
public final class Pinning implements AutoCloseable {

  /**
   * The packages of Userbound's library modules (and of their tests, which share them); not the
   * samples ({@code io.userbound.sample}) nor this test kit.
   */
  private static final List<String> USERBOUND =
      List.of(
          "io.userbound.core.",
          "io.userbound.hibernate.",
          "io.userbound.servlet.",
          "io.userbound.guice.",
          "io.userbound.spring.",
          "io.userbound.micrometer.");

  private final Recording recording;

  private Pinning(Recording recording) {
    this.recording = recording;
  }

  /**
   * Starts recording pinned virtual threads.
   *
   * @return the running recording; {@link #stop()} or {@link #close()} it
   */
  public static Pinning start() {
    Recording recording = new Recording();
    recording.setName("userbound-pinning");
    recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
    recording.start();
    return new Pinning(recording);
  }

  /**
   * Stops the recording and reads what it recorded.
   *
   * @return every pinned event, in recording order
   * @throws UncheckedIOException if the recording cannot be written or read back
   */
  public List<PinnedEvent> stop() {
    recording.stop();
    Path file = null;
    try {
      file = Files.createTempFile("userbound-pinning", ".jfr");
      recording.dump(file);
      List<PinnedEvent> events = new ArrayList<>();
      for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
        List<String> frames = new ArrayList<>();
        RecordedStackTrace stack = e.getStackTrace();
        boolean truncated = false;
        if (stack != null) {
          truncated = stack.isTruncated();
          for (RecordedFrame f : stack.getFrames()) {
            frames.add(f.getMethod().getType().getName() + "." + f.getMethod().getName());
          }
        }
        events.add(
            new PinnedEvent(
                text(e, "blockingOperation"), text(e, "pinnedReason"), frames, truncated));
      }
      return events;
    } catch (IOException e) {
      throw new UncheckedIOException("could not write or read the JFR recording", e);
    } finally {
      recording.close();
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException ignored) {
          // a temporary file left behind
        }
      }
    }
  }

  private static String text(RecordedEvent e, String field) {
    // Fields added in JDK 24 (the reason and the blocking operation); absent on 21.
    if (!e.hasField(field)) {
      return "";
    }
    Object value = e.getValue(field);
    return String.valueOf(value);
  }

  /**
   * The events with a frame of Userbound's code: a class in a package of Userbound's library
   * modules ({@code io.userbound.core}, {@code .hibernate}, {@code .servlet}, {@code .guice},
   * {@code .spring}, {@code .micrometer}), not the samples' nor this test kit's canary.
   *
   * @param events what {@link #stop()} returned
   * @return those that pinned in (or under) Userbound's frames
   */
  public static List<PinnedEvent> userbound(List<PinnedEvent> events) {
    return events.stream()
        .filter(e -> !e.isCanary() && USERBOUND.stream().anyMatch(e::hasFrameIn))
        .toList();
  }

  /**
   * Pins a virtual thread once, on purpose: it parks for a millisecond inside a class
   * initializer, which (on every JDK so far, 24+ included) runs with a VM frame on the stack
   * and cannot unmount. Each call defines a fresh hidden copy of the canary class, so each call
   * pins again. The recording then holds an event for which {@link PinnedEvent#isCanary()} is
   * true.
   *
   * @throws IllegalStateException if virtual threads are not available (before JDK 21)
   */
  public static void pinOnPurpose() {
    byte[] canary;
    try (InputStream in = Pinning.class.getResourceAsStream("Pinning$Canary.class")) {
      if (in == null) {
        throw new IllegalStateException("the canary's class file is missing");
      }
      canary = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    MethodHandles.Lookup lookup = MethodHandles.lookup();
    ExecutorService one = virtualThreadPerTaskExecutor();
    try {
      Future<?> done = one.submit(() -> lookup.defineHiddenClass(canary, true));
      done.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("the canary did not run", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } finally {
      one.shutdown();
    }
  }

  /**
   * {@code Executors.newVirtualThreadPerTaskExecutor()}, called by reflection so that tests
   * compiled for Java 17 can use it when they run on 21 or newer.
   *
   * @return a new executor that starts a virtual thread per task; the caller closes it
   * @throws IllegalStateException if virtual threads are not available (before JDK 21)
   */
  public static ExecutorService virtualThreadPerTaskExecutor() {
    try {
      return (ExecutorService)
          Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    } catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException(
          "virtual threads need JDK 21 or newer; this is " + Runtime.version(), e);
    }
  }

  /**
   * Tells whether the current thread is a virtual thread ({@code Thread.isVirtual()}, by
   * reflection); false before JDK 21.
   *
   * @return whether the calling thread is virtual
   */
  public static boolean onVirtualThread() {
    try {
      return (Boolean) Thread.class.getMethod("isVirtual").invoke(Thread.currentThread());
    } catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException e) {
      return false;
    }
  }

  /** Stops and discards the recording if {@link #stop()} was not called. */
  @Override
  public void close() {
    recording.close();
  }

  /**
   * One {@code jdk.VirtualThreadPinned} event.
   *
   * @param blockingOperation what blocked (JDK 24+), e.g. {@code LockSupport.park}; else empty
   * @param pinnedReason why it could not unmount (JDK 24+), e.g. a native frame; else empty
   * @param frames the stack, innermost first, as {@code class.method}
   * @param truncated whether JFR cut the stack at its depth limit
   */
  public record PinnedEvent(
      String blockingOperation, String pinnedReason, List<String> frames, boolean truncated) {

    /**
     * Copies the frames.
     *
     * @param blockingOperation what blocked, or empty
     * @param pinnedReason why it could not unmount, or empty
     * @param frames the stack, innermost first
     * @param truncated whether JFR cut the stack
     */
    public PinnedEvent {
      frames = List.copyOf(frames);
    }

    /**
     * Tells whether a frame's class name starts with the prefix.
     *
     * @param prefix e.g. {@code "io.userbound."}
     * @return whether any frame is in it
     */
    public boolean hasFrameIn(String prefix) {
      return frames.stream().anyMatch(f -> f.startsWith(prefix));
    }

    /**
     * Tells whether this is the event {@link #pinOnPurpose()} caused.
     *
     * @return whether the canary's class initializer is on the stack
     */
    public boolean isCanary() {
      // A hidden class: Pinning$Canary/0x....<clinit>
      return frames.stream().anyMatch(f -> f.startsWith(Canary.class.getName()));
    }

    @Override
    public String toString() {
      return "pinned: "
          + blockingOperation
          + " ("
          + pinnedReason
          + ")"
          + (truncated ? " [stack truncated]" : "")
          + "\n    at "
          + String.join("\n    at ", frames);
    }
  }

  /** Its initializer parks, pinned; {@link #pinOnPurpose()} defines hidden copies of it. */
  private static final class Canary {

    static {
      LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
    }

    private Canary() {}
  }
}

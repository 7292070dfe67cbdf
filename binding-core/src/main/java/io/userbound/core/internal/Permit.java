package io.userbound.core.internal;

/** What a physical connection gives back, exactly once, when it closes. */
interface Permit {

  /** A connection counted nowhere: a login being verified, under LoginGuard's own cap. */
  Permit NONE = () -> {};

  void release();

  /** The connection started closing: its permit comes back soon (when the backend exited). */
  default void releasing() {}

  /** A connection that said {@link #releasing()} closed; called just before release(). */
  default void released() {}
}

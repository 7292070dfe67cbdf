package io.userbound.core.internal;

/*
 * What a person's pool tells the database it belongs to, and nothing more: the one way a
 * lower layer talks to a higher one (see Database's header). Called on whatever thread
 * makes the change happen; implementations are quick and never block.
 */
interface PoolEvents {

  /** The pool was retired (once per pool): count it, and keep it in sight until it closes. */
  void retired(PersonPool pool, String why);

  /** The pool must close; do it off the caller's thread (it waits for backends to exit). */
  void closeLater(PersonPool pool);

  /** The pool closed. */
  void closed(PersonPool pool);

  /** The person's pool was used: record it for idle expiry and the order of reclaim. */
  void used(String role);
}

package io.userbound.servlet;

import java.io.ObjectStreamException;
import java.io.Serializable;

/**
 * Not API. What a serialized session holds in place of a login: nothing. A session read
 * back from storage or another node has this marker, which counts as "not logged in".
 */
final class LoginGone implements Serializable {

  private static final long serialVersionUID = 1L;

  static final LoginGone INSTANCE = new LoginGone();

  private LoginGone() {}

  private Object readResolve() throws ObjectStreamException {
    return INSTANCE;
  }

  @Override
  public String toString() {
    return "LoginGone";
  }
}

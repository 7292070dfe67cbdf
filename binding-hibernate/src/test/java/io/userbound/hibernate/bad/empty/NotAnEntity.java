package io.userbound.hibernate.bad.empty;

/** A plain class: the package it is in holds no entity. */
public final class NotAnEntity {

  private NotAnEntity() {}
}

package dev.cdnpub.config;

import java.util.Locale;

/** Where releases go. */
public enum TargetKind {
  LOCAL,
  R2;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}

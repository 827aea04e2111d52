package dev.cdnpub.alias;

/**
 * An alias moved from one value to another: {@code from} (null when the alias is new) with {@code
 * fromCanary}, to {@code to} with {@code canary} (each null when there is no canary).
 */
public record AliasChange(
    String alias,
    String from,
    String to,
    long seq,
    String cause,
    Canary fromCanary,
    Canary canary) {
  /** A change with no canary on either side. */
  public AliasChange(String alias, String from, String to, long seq, String cause) {
    this(alias, from, to, seq, cause, null, null);
  }

  @Override
  public String toString() {
    return alias
        + ": "
        + (from == null ? "(new)" : Canary.describe(from, fromCanary))
        + " -> "
        + Canary.describe(to, canary);
  }
}

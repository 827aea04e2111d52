package dev.cdnpub.alias;

/** An alias moved from one version to another (from is null when the alias is new). */
public record AliasChange(String alias, String from, String to, long seq, String cause) {
  @Override
  public String toString() {
    return alias + ": " + (from == null ? "(new)" : from) + " -> " + to;
  }
}

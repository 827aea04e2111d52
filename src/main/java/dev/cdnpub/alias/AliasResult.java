package dev.cdnpub.alias;

import java.util.List;

/** What an alias operation did: the changes recorded, and warnings for the user. */
public record AliasResult(List<AliasChange> changes, List<String> warnings) {
  public AliasResult {
    changes = List.copyOf(changes);
    warnings = List.copyOf(warnings);
  }

  /** No change and nothing to say: aliases were not touched. */
  public static final AliasResult NONE = new AliasResult(List.of(), List.of());
}

package dev.cdnpub.alias;

import java.util.List;

/** What an alias operation did: the changes recorded, and warnings for the user. */
public record AliasResult(List<AliasChange> changes, List<String> warnings) {
  public AliasResult {
    changes = List.copyOf(changes);
    warnings = List.copyOf(warnings);
  }
}

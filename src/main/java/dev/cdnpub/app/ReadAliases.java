package dev.cdnpub.app;

import dev.cdnpub.alias.AliasEntry;
import dev.cdnpub.alias.AliasLog;
import dev.cdnpub.alias.AliasName;
import dev.cdnpub.config.SettingsResolver;
import dev.cdnpub.core.CdnpubException;
import java.util.List;
import java.util.Map;

/** Read aliases from their history: one alias's value, every alias, or one alias's changes. */
public final class ReadAliases {
  /** What was read, and for which library. */
  public record Found<T>(String library, T value) {}

  private final Application app;

  public ReadAliases(Application app) {
    this.app = app;
  }

  /** The newest change of {@code alias}: its value; exit 4 when it has none. */
  public Found<AliasEntry> get(SettingsResolver.Flags target, String alias) {
    try (Application.StoreSession session = app.openStore(target, () -> AliasName.parse(alias))) {
      AliasEntry entry =
          new AliasLog(session.store(), session.library())
              .current(alias)
              .orElseThrow(
                  () ->
                      CdnpubException.notFound(session.library() + " has no alias " + alias + "."));
      return new Found<>(session.library(), entry);
    }
  }

  /** The newest change of every alias of the library, by alias name. */
  public Found<Map<String, AliasEntry>> list(SettingsResolver.Flags target) {
    try (Application.StoreSession session = app.openStore(target, () -> {})) {
      return new Found<>(session.library(), new AliasLog(session.store(), session.library()).all());
    }
  }

  /** Every change of {@code alias}, oldest first; exit 4 when it has none. */
  public Found<List<AliasEntry>> history(SettingsResolver.Flags target, String alias) {
    try (Application.StoreSession session = app.openStore(target, () -> AliasName.parse(alias))) {
      List<AliasEntry> history = new AliasLog(session.store(), session.library()).history(alias);
      if (history.isEmpty()) {
        throw CdnpubException.notFound(session.library() + " has no alias " + alias + ".");
      }
      return new Found<>(session.library(), history);
    }
  }
}

package dev.cdnpub.app;

import dev.cdnpub.config.SettingsResolver;
import java.util.List;

/** Rewrite KV from the alias history (after a KV failure); returns the KV keys written. */
public final class SyncAliases {
  private final Application app;

  public SyncAliases(Application app) {
    this.app = app;
  }

  public List<String> run(SettingsResolver.Flags target) {
    try (Application.StoreSession session = app.openStore(target, () -> {})) {
      return app.aliases(session, null).sync();
    }
  }
}

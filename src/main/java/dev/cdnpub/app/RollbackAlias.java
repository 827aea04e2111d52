package dev.cdnpub.app;

import dev.cdnpub.alias.AliasName;
import dev.cdnpub.alias.AliasResult;
import dev.cdnpub.config.SettingsResolver;
import dev.cdnpub.publish.ReleaseVersion;

/** Point an alias back at its value before its last change, or at an earlier value ({@code to}). */
public final class RollbackAlias {
  /**
   * @param to an earlier value to go back to; null: the one before the last change
   */
  public record Request(SettingsResolver.Flags target, String alias, String to, String actor) {}

  private final Application app;

  public RollbackAlias(Application app) {
    this.app = app;
  }

  public AliasResult run(Request request) {
    try (Application.StoreSession session =
        app.openStore(
            request.target(),
            () -> {
              AliasName.parse(request.alias());
              if (request.to() != null) {
                ReleaseVersion.parse(request.to());
              }
            })) {
      return app.aliases(session, request.actor())
          .rollback(
              AliasName.parse(request.alias()),
              request.to() == null ? null : ReleaseVersion.parse(request.to()));
    }
  }
}

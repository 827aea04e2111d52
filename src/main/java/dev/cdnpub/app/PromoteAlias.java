package dev.cdnpub.app;

import dev.cdnpub.alias.AliasName;
import dev.cdnpub.alias.AliasResult;
import dev.cdnpub.config.SettingsResolver;
import dev.cdnpub.publish.ReleaseVersion;

/** End an alias's canary by moving everyone to the canary version. */
public final class PromoteAlias {
  /**
   * @param version the canary version the operator means to promote; null: the canary read first
   */
  public record Request(
      SettingsResolver.Flags target, String alias, String version, String actor) {}

  private final Application app;

  public PromoteAlias(Application app) {
    this.app = app;
  }

  public AliasResult run(Request request) {
    try (Application.StoreSession session =
        app.openStore(
            request.target(),
            () -> {
              AliasName.parse(request.alias());
              if (request.version() != null) {
                ReleaseVersion.parse(request.version());
              }
            })) {
      return app.aliases(session, request.actor())
          .promote(
              AliasName.parse(request.alias()),
              request.version() == null ? null : ReleaseVersion.parse(request.version()));
    }
  }
}

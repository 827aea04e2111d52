package dev.cdnpub.app;

import dev.cdnpub.alias.AliasResult;
import dev.cdnpub.config.SettingsResolver;
import dev.cdnpub.core.CdnpubException;
import dev.cdnpub.publish.ReleaseVersion;

/** Withdraw a version: files stay, aliases on it move back, later moves never choose it. */
public final class YankRelease {
  public record Request(
      SettingsResolver.Flags target, String version, String reason, String actor) {}

  public record Result(
      String library, ReleaseVersion version, String reason, AliasResult aliases) {}

  private final Application app;

  public YankRelease(Application app) {
    this.app = app;
  }

  public Result run(Request request) {
    try (Application.StoreSession session =
        app.openStore(
            request.target(),
            () -> {
              ReleaseVersion.parse(request.version());
              if (request.reason().isBlank()) {
                throw CdnpubException.usage("--reason must say why the version is withdrawn.");
              }
            })) {
      ReleaseVersion version = ReleaseVersion.parse(request.version());
      AliasResult aliases = app.aliases(session, request.actor()).yank(version, request.reason());
      return new Result(session.library(), version, request.reason(), aliases);
    }
  }
}

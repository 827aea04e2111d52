package dev.cdnpub.app;

import dev.cdnpub.alias.AliasName;
import dev.cdnpub.alias.AliasResult;
import dev.cdnpub.alias.AliasService;
import dev.cdnpub.alias.Canary;
import dev.cdnpub.config.SettingsResolver;
import dev.cdnpub.publish.ReleaseVersion;
import java.util.List;

/**
 * Point an alias at a sealed version (vN and vN.M must match it; a yanked one needs force), for
 * everyone or, with a canary percent, for that share of its clients.
 */
public final class SetAlias {
  /**
   * @param canary the percent of clients (1–99) that get the version while the others keep the
   *     alias's current one; null: everyone gets it
   */
  public record Request(
      SettingsResolver.Flags target,
      String alias,
      String version,
      boolean force,
      String actor,
      Integer canary) {}

  /**
   * @param routesNeeded new aliases that need a Worker route (R2 only)
   */
  public record Result(AliasResult aliases, List<String> routesNeeded) {}

  private final Application app;

  public SetAlias(Application app) {
    this.app = app;
  }

  public Result run(Request request) {
    try (Application.StoreSession session =
        app.openStore(
            request.target(),
            () -> {
              AliasName.parse(request.alias());
              ReleaseVersion.parse(request.version());
              if (request.canary() != null) {
                Canary.requirePercent(request.canary());
              }
            })) {
      AliasService aliases = app.aliases(session, request.actor());
      AliasName alias = AliasName.parse(request.alias());
      ReleaseVersion version = ReleaseVersion.parse(request.version());
      AliasResult result =
          request.canary() == null
              ? aliases.set(alias, version, request.force())
              : aliases.canary(alias, version, request.canary(), request.force());
      return new Result(result, WorkerRoutes.needed(session.settings(), session.store(), result));
    }
  }
}

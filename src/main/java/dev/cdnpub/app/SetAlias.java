package dev.cdnpub.app;

import dev.cdnpub.alias.AliasName;
import dev.cdnpub.alias.AliasResult;
import dev.cdnpub.config.SettingsResolver;
import dev.cdnpub.publish.ReleaseVersion;
import java.util.List;

/** Point an alias at a sealed version (vN and vN.M must match it; a yanked one needs force). */
public final class SetAlias {
  public record Request(
      SettingsResolver.Flags target, String alias, String version, boolean force, String actor) {}

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
            false,
            () -> {
              AliasName.parse(request.alias());
              ReleaseVersion.parse(request.version());
            })) {
      AliasResult result =
          app.aliases(
                  session.settings(), session.store(), app.kv(session.settings()), request.actor())
              .set(
                  AliasName.parse(request.alias()),
                  ReleaseVersion.parse(request.version()),
                  request.force());
      return new Result(result, WorkerRoutes.needed(session.settings(), session.store(), result));
    }
  }
}

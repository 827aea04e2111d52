package dev.cdnpub.app;

import dev.cdnpub.config.SettingsResolver;
import dev.cdnpub.core.Hints;
import dev.cdnpub.publish.Claim;
import dev.cdnpub.publish.Manifest;
import dev.cdnpub.publish.ReleaseCatalog;
import dev.cdnpub.publish.ReleaseVersion;
import java.util.List;
import java.util.Set;

/** The versions of a library: sealed ones newest first, which are yanked, and claims not sealed. */
public final class ListVersions {
  /**
   * @param manifests the manifest of each sealed version, in the order of {@code sealed}
   * @param hints builds the command lines the CLI suggests
   */
  public record Result(
      String library,
      List<ReleaseVersion> sealed,
      List<Manifest> manifests,
      Set<String> yanked,
      List<Claim> unsealed,
      Hints hints) {}

  private final Application app;

  public ListVersions(Application app) {
    this.app = app;
  }

  public Result run(SettingsResolver.Flags target) {
    try (Application.StoreSession session = app.openStore(target, () -> {})) {
      ReleaseCatalog catalog = new ReleaseCatalog(session.store());
      List<ReleaseVersion> sealed = catalog.sealedVersions(session.library());
      return new Result(
          session.library(),
          sealed,
          catalog.manifests(session.library(), sealed),
          catalog.yankedVersions(session.library()),
          catalog.unsealedClaims(session.library(), sealed),
          session.settings().hints());
    }
  }
}

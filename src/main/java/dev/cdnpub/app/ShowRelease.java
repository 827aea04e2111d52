package dev.cdnpub.app;

import dev.cdnpub.config.SettingsResolver;
import dev.cdnpub.core.CdnpubException;
import dev.cdnpub.publish.ReleaseCatalog;
import dev.cdnpub.publish.ReleaseStatus;
import dev.cdnpub.publish.ReleaseVersion;

/**
 * Where one version is in its life (claimed, sealed, yanked) with its records; exit 4 when free.
 */
public final class ShowRelease {
  private final Application app;

  public ShowRelease(Application app) {
    this.app = app;
  }

  public ReleaseStatus run(SettingsResolver.Flags target, String version) {
    ReleaseVersion release = ReleaseVersion.parse(version);
    try (Application.StoreSession session = app.openStore(target, () -> {})) {
      return new ReleaseCatalog(session.store())
          .status(session.library(), release)
          .orElseThrow(
              () ->
                  CdnpubException.notFound(
                      session.library()
                          + " "
                          + release
                          + " is neither published nor claimed in "
                          + session.store().describe()
                          + "."));
    }
  }
}

package dev.cdnpub.app;

import dev.cdnpub.alias.AliasEntry;
import dev.cdnpub.alias.AliasLog;
import dev.cdnpub.config.SettingsResolver;
import dev.cdnpub.config.TargetKind;
import dev.cdnpub.core.CdnpubException;
import dev.cdnpub.publish.Manifest;
import dev.cdnpub.publish.ReleaseCatalog;
import dev.cdnpub.publish.ReleaseStatus;
import dev.cdnpub.publish.ReleaseVersion;
import dev.cdnpub.publish.YankRecord;
import dev.cdnpub.store.NativeCrypto;
import dev.cdnpub.verify.AliasReport;
import dev.cdnpub.verify.FileReport;
import dev.cdnpub.verify.PublicSite;
import dev.cdnpub.verify.ReleaseVerifier;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Check that a sealed release is still what its manifest says: every file re-read from the store,
 * or with {@code publicCheck} through the CDN's public URL together with the redirects of every
 * alias that points at the version. Read-only. A free version, or one claimed but not sealed, is
 * exit 4; differences are returned in the result, not thrown (the CLI maps them to exit 7).
 */
public final class VerifyRelease {
  /**
   * @param publicCheck read through the public base URL instead of the store
   * @param baseUrl the CDN's base URL; null: CDNPUB_PUBLIC_URL, publicUrl, or the local default
   */
  public record Request(
      SettingsResolver.Flags target, String version, boolean publicCheck, String baseUrl) {}

  /**
   * @param where what was read: the store's description, or the public base URL
   * @param files one report per file of the manifest, in its order
   * @param unexpected one report per file the store holds under the release's prefix that the
   *     manifest does not list (listed in the store, also with a public check)
   * @param aliases the aliases that point at the version (only with a public check)
   * @param redirects one report per alias and file (only with a public check)
   * @param canaryAliases the aliases with a canary in progress that involves the version (as its
   *     stable or its canary version), left out of the redirect check because their redirect
   *     depends on the client's address (only with a public check)
   */
  public record Result(
      String library,
      ReleaseVersion version,
      ReleaseStatus.State state,
      Optional<YankRecord> yank,
      boolean publicCheck,
      String where,
      List<FileReport> files,
      List<FileReport> unexpected,
      List<String> aliases,
      List<AliasReport> redirects,
      List<String> canaryAliases) {
    /** Why an alias in {@link #canaryAliases} was not checked, for output. */
    public static final String CANARY_SKIPPED =
        "canary in progress (its redirect depends on the client's address)";

    public List<FileReport> badFiles() {
      return files.stream().filter(f -> !f.ok()).toList();
    }

    public List<AliasReport> badRedirects() {
      return redirects.stream().filter(r -> !r.ok()).toList();
    }

    public boolean ok() {
      return badFiles().isEmpty() && unexpected.isEmpty() && badRedirects().isEmpty();
    }

    /** One sentence naming every bad file and redirect and what differs; null when all match. */
    public String failure() {
      if (ok()) {
        return null;
      }
      List<String> parts = new ArrayList<>();
      List<FileReport> bad = badFiles();
      if (!bad.isEmpty()) {
        parts.add(
            bad.size()
                + " of "
                + files.size()
                + " files differ from the manifest: "
                + String.join(
                    "; ",
                    bad.stream()
                        .map(f -> f.path() + " (" + String.join(", ", f.problems()) + ")")
                        .toList()));
      }
      if (!unexpected.isEmpty()) {
        parts.add(
            unexpected.size()
                + (unexpected.size() == 1 ? " unexpected file" : " unexpected files")
                + " not in the manifest: "
                + String.join(", ", unexpected.stream().map(FileReport::path).toList()));
      }
      List<AliasReport> wrong = badRedirects();
      if (!wrong.isEmpty()) {
        parts.add(
            wrong.size()
                + " alias URLs do not redirect to the version: "
                + String.join(
                    "; ",
                    wrong.stream()
                        .map(
                            r ->
                                r.url()
                                    + " ("
                                    + String.join(", ", r.problems())
                                    + "; expected "
                                    + r.expected()
                                    + ")")
                        .toList()));
      }
      return library
          + " "
          + version
          + " failed verification at "
          + where
          + ": "
          + String.join("; and ", parts)
          + ".";
    }
  }

  private final Application app;

  public VerifyRelease(Application app) {
    this.app = app;
  }

  public Result run(Request request) {
    ReleaseVersion release = ReleaseVersion.parse(request.version());
    if (request.baseUrl() != null && !request.publicCheck()) {
      throw CdnpubException.usage(
          "--base-url is only read with --public; add --public or drop it.");
    }
    try (Application.StoreSession session = app.openStore(request.target(), () -> {})) {
      String library = session.library();
      // The base URL is checked before any read.
      String base =
          request.publicCheck()
              ? MakeSnippet.publicBaseUrl(session.settings(), request.baseUrl(), "verify --public")
              : null;
      ReleaseStatus status =
          new ReleaseCatalog(session.store())
              .status(library, release)
              .orElseThrow(
                  () ->
                      CdnpubException.notFound(
                          library
                              + " "
                              + release
                              + " is neither published nor claimed in "
                              + session.store().describe()
                              + "."));
      if (status.state() == ReleaseStatus.State.CLAIMED) {
        throw CdnpubException.notFound(
            library
                + " "
                + release
                + " is claimed but not sealed, so there is no manifest to verify against: re-run"
                + " its publish to finish it ("
                + session.settings().hints().command("show " + release)
                + ").");
      }
      Manifest manifest = status.manifest().orElseThrow();
      // A release of a few MiB is read back through NSS's AES-GCM (TLS), as publish sends it.
      URI readFrom =
          request.publicCheck()
              ? URI.create(base)
              : session.settings().target() == TargetKind.R2
                  ? session.settings().r2().endpoint()
                  : null;
      if (readFrom != null && NativeCrypto.pays(readFrom, manifest.totalBytes())) {
        NativeCrypto.preferForTransfers();
      }
      if (!request.publicCheck()) {
        return new Result(
            library,
            release,
            status.state(),
            status.yank(),
            false,
            session.store().describe(),
            ReleaseVerifier.inStore(session.store(), manifest),
            ReleaseVerifier.unexpected(session.store(), manifest, key -> key),
            List.of(),
            List.of(),
            List.of());
      }
      List<String> aliases = new ArrayList<>();
      List<String> canaryAliases = new ArrayList<>();
      for (Map.Entry<String, AliasEntry> alias :
          new AliasLog(session.store(), library).all().entrySet()) {
        AliasEntry entry = alias.getValue();
        // An alias with a canary answers by the client's address (docs/aliases.md), so one
        // client cannot check it against one version: left out, and said so.
        if (entry.canary() != null) {
          if (release.toString().equals(entry.to())
              || release.toString().equals(entry.canary().version())) {
            canaryAliases.add(alias.getKey());
          }
        } else if (release.toString().equals(entry.to())) {
          aliases.add(alias.getKey());
        }
      }
      try (PublicSite site = app.publicSite(base)) {
        return new Result(
            library,
            release,
            status.state(),
            status.yank(),
            true,
            base,
            ReleaseVerifier.inPublic(site, manifest),
            ReleaseVerifier.unexpected(session.store(), manifest, site::url),
            aliases,
            ReleaseVerifier.aliasRedirects(site, manifest, aliases),
            canaryAliases);
      }
    }
  }
}

package dev.cdnpub.app;

import dev.cdnpub.alias.AliasEntry;
import dev.cdnpub.alias.AliasLog;
import dev.cdnpub.alias.AliasName;
import dev.cdnpub.config.Settings;
import dev.cdnpub.config.SettingsResolver;
import dev.cdnpub.config.TargetKind;
import dev.cdnpub.core.CdnpubException;
import dev.cdnpub.core.Hints;
import dev.cdnpub.publish.Manifest;
import dev.cdnpub.publish.ReleaseCatalog;
import dev.cdnpub.publish.ReleaseStatus;
import dev.cdnpub.publish.ReleaseVersion;
import dev.cdnpub.publish.YankRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The lines a customer pastes into a page: a script tag for the release's entry file, pinned to a
 * version (with its SRI hash) or through an alias (no hash: the bytes change at the next move), and
 * optionally the element the library renders into.
 */
public final class MakeSnippet {
  /** What a local store is served at by default (the port {@code cdnpub serve} listens on). */
  public static final String LOCAL_BASE_URL =
      "http://" + ServeStore.DEFAULT_HOST + ":" + ServeStore.DEFAULT_PORT;

  /**
   * @param target an alias (latest, v1, v1.2, next) or a version (1.2.3, v1.2.3)
   * @param entry the file to load, relative to the release; null: chosen (see {@link #entry})
   * @param element a tag to add after the script, e.g. chatleo-widget; null: none
   * @param baseUrl the CDN's base URL; null: CDNPUB_PUBLIC_URL, publicUrl, or the local default
   */
  public record Request(
      SettingsResolver.Flags targetFlags,
      String target,
      String entry,
      String element,
      String baseUrl) {}

  /**
   * @param integrity the entry's SRI hash for a pinned version; null for an alias
   * @param version the version the URL serves now (for an alias, where it points)
   * @param yank the yank record of {@code version} when it is yanked (a pinned yanked version, or
   *     an alias moved onto one with --force), else empty
   * @param hints builds the command lines the CLI's notes suggest
   */
  public record Result(
      String url,
      String integrity,
      boolean pinned,
      String entry,
      String version,
      String html,
      Optional<YankRecord> yank,
      Hints hints) {}

  private final Application app;

  public MakeSnippet(Application app) {
    this.app = app;
  }

  public Result run(Request request) {
    if (request.element() != null && !request.element().matches("[a-z][a-z0-9]*(-[a-z0-9]+)+")) {
      throw CdnpubException.usage(
          "--element "
              + request.element()
              + " is not a custom element name (lower case with a '-', such as chatleo-widget).");
    }
    boolean pinned = ReleaseVersion.isValid(request.target().replaceFirst("^v", ""));
    try (Application.StoreSession session =
        app.openStore(
            request.targetFlags(),
            () -> {
              if (!pinned) {
                AliasName.parse(request.target());
              }
            })) {
      Settings settings = session.settings();
      String library = session.library();
      ReleaseVersion version;
      String path;
      if (pinned) {
        version = ReleaseVersion.parse(request.target());
        path = "v" + version;
      } else {
        AliasEntry alias =
            new AliasLog(session.store(), library)
                .current(request.target())
                .orElseThrow(
                    () ->
                        CdnpubException.notFound(
                            library + " has no alias " + request.target() + "."));
        version = ReleaseVersion.parse(alias.to());
        path = request.target();
      }
      ReleaseStatus status =
          new ReleaseCatalog(session.store())
              .status(library, version)
              .filter(s -> s.manifest().isPresent())
              .orElseThrow(
                  () -> CdnpubException.notFound(library + " " + version + " is not published."));
      Manifest manifest = status.manifest().orElseThrow();
      Manifest.Entry entry = entry(request, settings, manifest);
      String base = baseUrl(request, settings);
      String url = base + "/" + path + "/" + library + "/" + entry.path();
      boolean module =
          entry.path().endsWith(".mjs") || entry.path().equals(moduleEntry(settings, manifest));
      String script =
          "<script "
              + (module ? "type=\"module\" " : "")
              + "src=\""
              + url
              + "\""
              + (pinned ? " integrity=\"" + entry.integrity() + "\"" : "")
              + " crossorigin=\"anonymous\"></script>";
      String html =
          request.element() == null
              ? script
              : script + "\n<" + request.element() + "></" + request.element() + ">";
      return new Result(
          url,
          pinned ? entry.integrity() : null,
          pinned,
          entry.path(),
          version.toString(),
          html,
          status.yank(),
          settings.hints());
    }
  }

  /**
   * The entry file: --entry, else {@code entry} in cdnpub.json, else {@code browser}, {@code
   * module} or {@code main} of package.json (a leading {@code ./} or build folder such as {@code
   * dist/} dropped when the release holds the rest), else the only .js/.mjs at the top of the
   * release.
   */
  private static Manifest.Entry entry(Request request, Settings settings, Manifest manifest) {
    List<String> named = new ArrayList<>();
    for (String candidate : new String[] {request.entry(), settings.configEntry()}) {
      if (candidate != null) {
        return find(manifest, candidate)
            .orElseThrow(
                () ->
                    CdnpubException.usage(
                        "entry "
                            + candidate
                            + " is not a file of "
                            + manifest.library()
                            + " "
                            + manifest.version()
                            + "."));
      }
    }
    for (String field : new String[] {"browser", "module", "main"}) {
      String value = settings.packageField(field);
      if (value != null) {
        named.add(value);
        Optional<Manifest.Entry> found = find(manifest, value);
        if (found.isPresent()) {
          return found.get();
        }
      }
    }
    List<Manifest.Entry> top =
        manifest.files().stream()
            .filter(
                f ->
                    !f.path().contains("/")
                        && (f.path().endsWith(".js") || f.path().endsWith(".mjs")))
            .toList();
    if (top.size() == 1) {
      return top.get(0);
    }
    throw CdnpubException.usage(
        "which file does the page load? Give --entry (or entry in cdnpub.json): "
            + (top.isEmpty()
                ? "the release has no .js or .mjs at its top"
                : "candidates are "
                    + String.join(", ", top.stream().map(Manifest.Entry::path).toList()))
            + (named.isEmpty()
                ? ""
                : "; package.json names " + String.join(", ", named) + ", not in the release")
            + ".");
  }

  /** The release's file for {@code path}: as given, without "./", or without leading folders. */
  private static Optional<Manifest.Entry> find(Manifest manifest, String path) {
    String p = path.replaceFirst("^\\./", "");
    while (true) {
      String wanted = p;
      Optional<Manifest.Entry> hit =
          manifest.files().stream().filter(f -> f.path().equals(wanted)).findFirst();
      if (hit.isPresent() || !p.contains("/")) {
        return hit;
      }
      p = p.substring(p.indexOf('/') + 1);
    }
  }

  private static String moduleEntry(Settings settings, Manifest manifest) {
    String module = settings.packageField("module");
    return module == null ? null : find(manifest, module).map(Manifest.Entry::path).orElse(null);
  }

  private static String baseUrl(Request request, Settings settings) {
    return publicBaseUrl(settings, request.baseUrl(), "the snippet");
  }

  /**
   * The CDN's public base URL: {@code flag} (--base-url), else CDNPUB_PUBLIC_URL, else publicUrl in
   * cdnpub.json, else for the local store {@link #LOCAL_BASE_URL}; for R2 without one, exit 2
   * saying that {@code who} needs it.
   */
  static String publicBaseUrl(Settings settings, String flag, String who) {
    String base = settings.publicUrl(flag);
    if (base != null) {
      return base;
    }
    if (settings.target() == TargetKind.LOCAL) {
      return LOCAL_BASE_URL;
    }
    throw CdnpubException.usage(
        who
            + " needs the CDN's address: give --base-url, set CDNPUB_PUBLIC_URL, or put publicUrl in cdnpub.json.");
  }
}

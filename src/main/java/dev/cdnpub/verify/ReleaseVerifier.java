package dev.cdnpub.verify;

import dev.cdnpub.core.Threads;
import dev.cdnpub.publish.Keys;
import dev.cdnpub.publish.Manifest;
import dev.cdnpub.publish.PublishPlan;
import dev.cdnpub.publish.ReleaseVersion;
import dev.cdnpub.store.Digests;
import dev.cdnpub.store.ObjectInfo;
import dev.cdnpub.store.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.Provider;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Re-reads every file of a sealed release and compares it with its manifest: presence, size,
 * sha256, Content-Type and Cache-Control. Files are streamed (constant memory), several at a time.
 * Differences are returned as data, one report per file; only a failing store or site (exit 5, 6)
 * is thrown.
 */
public final class ReleaseVerifier {
  /** Files read at the same time. */
  public static final int PARALLELISM = 16;

  private static final List<Integer> REDIRECTS = List.of(301, 302, 303, 307, 308);

  private ReleaseVerifier() {}

  /** What was read: the bytes counted and hashed as they streamed by, and the stored headers. */
  record Observed(long size, String sha256, String contentType, String cacheControl) {
    /** Reads {@code in} through, hashed with {@code digests}' SHA-256 (the JDK's when empty). */
    static Observed read(Optional<Provider> digests, ObjectInfo info, InputStream in)
        throws IOException {
      MessageDigest sha256 = Digests.digest("SHA-256", digests);
      byte[] buffer = new byte[64 * 1024];
      long size = 0;
      int n;
      while ((n = in.read(buffer)) > 0) {
        sha256.update(buffer, 0, n);
        size += n;
      }
      return new Observed(
          size, HexFormat.of().formatHex(sha256.digest()), info.contentType(), info.cacheControl());
    }
  }

  /** Native digests for a release large enough to repay loading them (as the plan hashes). */
  private static Optional<Provider> digestsFor(Manifest manifest) {
    return Digests.providerFor(manifest.totalBytes());
  }

  /** Every file of {@code manifest} as the store holds it, in the manifest's order. */
  public static List<FileReport> inStore(ObjectStore store, Manifest manifest) {
    Optional<Provider> digests = digestsFor(manifest);
    return Threads.inParallel(
        manifest.files(),
        PARALLELISM,
        "cdnpub-verify",
        "verifying files",
        entry ->
            new FileReport(
                entry.path(),
                entry.key(),
                store
                    .readStream(entry.key(), (info, in) -> Observed.read(digests, info, in))
                    .map(seen -> differences(entry, seen))
                    .orElse(List.of("missing"))));
  }

  /**
   * The files the store holds under the release's prefix ({@code v{version}/{library}/}) that the
   * manifest does not list, in key order: served like the release's own files (and through its
   * aliases), so a file added after the seal is a failure. {@code location} maps a key to where it
   * is reported (the key itself, or its public URL).
   */
  public static List<FileReport> unexpected(
      ObjectStore store, Manifest manifest, Function<String, String> location) {
    String prefix =
        Keys.versionPrefix(manifest.library(), ReleaseVersion.parse(manifest.version()));
    Set<String> listed = new HashSet<>();
    manifest.files().forEach(entry -> listed.add(entry.key()));
    List<FileReport> extra = new ArrayList<>();
    for (String key : store.list(prefix)) {
      if (!listed.contains(key)) {
        extra.add(
            new FileReport(
                key.substring(prefix.length()),
                location.apply(key),
                List.of("not in the manifest")));
      }
    }
    return extra;
  }

  /** Every file of {@code manifest} at its pinned public URL, in the manifest's order. */
  public static List<FileReport> inPublic(PublicSite site, Manifest manifest) {
    Optional<Provider> digests = digestsFor(manifest);
    return Threads.inParallel(
        manifest.files(),
        PARALLELISM,
        "cdnpub-verify",
        "verifying files",
        entry -> {
          PublicSite.Answer<Observed> answer =
              site.get(entry.key(), (info, in) -> Observed.read(digests, info, in));
          List<String> problems =
              answer.status() == 200
                  ? differences(entry, answer.body())
                  : List.of(
                      (answer.status() == 404 ? "missing (HTTP 404)" : "HTTP " + answer.status())
                          + (answer.location() == null
                              ? ""
                              : " redirecting to " + answer.location()));
          return new FileReport(entry.path(), answer.url(), problems);
        });
  }

  /**
   * For every alias in {@code aliases} (each pointing at the manifest's version) and every file:
   * {@code {base}/{alias}/{library}/{path}} must answer with a redirect to the file's pinned URL.
   */
  public static List<AliasReport> aliasRedirects(
      PublicSite site, Manifest manifest, List<String> aliases) {
    record Probe(String alias, Manifest.Entry entry) {}
    List<Probe> probes = new ArrayList<>();
    for (String alias : aliases) {
      for (Manifest.Entry entry : manifest.files()) {
        probes.add(new Probe(alias, entry));
      }
    }
    return Threads.inParallel(
        probes,
        PARALLELISM,
        "cdnpub-verify",
        "verifying alias redirects",
        probe -> {
          String expected = site.url(probe.entry().key());
          PublicSite.Answer<Void> answer =
              site.get(
                  probe.alias() + "/" + manifest.library() + "/" + probe.entry().path(),
                  (info, in) -> null);
          List<String> problems = new ArrayList<>();
          if (!REDIRECTS.contains(answer.status())) {
            problems.add("HTTP " + answer.status() + ", not a redirect");
          } else if (!expected.equals(answer.location())) {
            problems.add(
                "redirects to "
                    + (answer.location() == null ? "nowhere (no Location)" : answer.location()));
          }
          return new AliasReport(
              probe.alias(), probe.entry().path(), answer.url(), expected, problems);
        });
  }

  /** How {@code seen} differs from the manifest's {@code entry}; empty when it matches. */
  static List<String> differences(Manifest.Entry entry, Observed seen) {
    List<String> problems = new ArrayList<>();
    if (seen.size() != entry.size()) {
      problems.add("size " + seen.size() + " B, manifest " + entry.size() + " B");
    } else if (!seen.sha256().equals(entry.sha256())) {
      problems.add(
          "content differs at the same size (sha256 "
              + shortHash(seen.sha256())
              + ", manifest "
              + shortHash(entry.sha256())
              + ")");
    }
    if (!Objects.equals(seen.contentType(), entry.contentType())) {
      problems.add(
          "Content-Type "
              + quoted(seen.contentType())
              + ", manifest "
              + quoted(entry.contentType()));
    }
    if (!PublishPlan.CACHE_CONTROL.equals(seen.cacheControl())) {
      problems.add(
          "Cache-Control "
              + quoted(seen.cacheControl())
              + ", expected "
              + quoted(PublishPlan.CACHE_CONTROL));
    }
    return problems;
  }

  private static String shortHash(String hex) {
    return hex == null ? "none" : hex.substring(0, Math.min(16, hex.length()));
  }

  private static String quoted(String value) {
    return value == null ? "none" : "\"" + value + "\"";
  }
}

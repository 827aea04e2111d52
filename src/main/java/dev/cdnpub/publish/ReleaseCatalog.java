package dev.cdnpub.publish;

import dev.cdnpub.core.CdnpubException;
import dev.cdnpub.core.ExitCode;
import dev.cdnpub.core.Threads;
import dev.cdnpub.store.ObjectStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Reads which versions of a library are claimed, sealed (have a manifest) or yanked. */
public final class ReleaseCatalog {
  private final ObjectStore store;

  public ReleaseCatalog(ObjectStore store) {
    this.store = store;
  }

  /** Sealed versions, newest first by semantic-version precedence. */
  public List<ReleaseVersion> sealedVersions(String library) {
    List<ReleaseVersion> versions = new ArrayList<>();
    for (String text : jsonNamesUnder(Keys.manifestPrefix(library))) {
      if (ReleaseVersion.isValid(text)) {
        versions.add(ReleaseVersion.parse(text));
      }
    }
    versions.sort(Comparator.reverseOrder());
    return versions;
  }

  /**
   * Versions claimed by a publish that has not sealed them (interrupted, or still running), newest
   * first, with their claims.
   */
  public List<Claim> unsealedClaims(String library, List<ReleaseVersion> sealed) {
    String prefix = Keys.claimPrefix(library);
    List<ReleaseVersion> unsealed = new ArrayList<>();
    for (String key : store.list(prefix)) {
      String name = key.substring(prefix.length());
      if (ReleaseVersion.isValid(name) && !sealed.contains(ReleaseVersion.parse(name))) {
        unsealed.add(ReleaseVersion.parse(name));
      }
    }
    unsealed.sort(Comparator.reverseOrder());
    List<Claim> claims = new ArrayList<>();
    for (ReleaseVersion version : unsealed) {
      readRecord(Keys.claim(library, version), Claim.class).ifPresent(claims::add);
    }
    return claims;
  }

  /** The state of one version and its records, or empty when the version is free. */
  public Optional<ReleaseStatus> status(String library, ReleaseVersion version) {
    Optional<Claim> claim = readRecord(Keys.claim(library, version), Claim.class);
    Optional<Manifest> manifest = manifest(library, version);
    Optional<YankRecord> yank = readRecord(Keys.yanked(library, version), YankRecord.class);
    if (claim.isEmpty() && manifest.isEmpty()) {
      return Optional.empty();
    }
    ReleaseStatus.State state =
        manifest.isEmpty()
            ? ReleaseStatus.State.CLAIMED
            : yank.isPresent() ? ReleaseStatus.State.YANKED : ReleaseStatus.State.SEALED;
    return Optional.of(new ReleaseStatus(library, version, state, claim, manifest, yank));
  }

  private <T> Optional<T> readRecord(String key, Class<T> type) {
    return store.read(key).map(bytes -> Publisher.parse(bytes, key, type));
  }

  /** Versions withdrawn with {@code cdnpub yank}. */
  public Set<String> yankedVersions(String library) {
    return new TreeSet<>(jsonNamesUnder(Keys.yankedPrefix(library)));
  }

  /** {@code name} of every {@code {prefix}{name}.json} directly under the prefix. */
  private List<String> jsonNamesUnder(String prefix) {
    List<String> names = new ArrayList<>();
    for (String key : store.list(prefix)) {
      String name = key.substring(prefix.length());
      if (name.endsWith(".json") && !name.contains("/")) {
        names.add(name.substring(0, name.length() - ".json".length()));
      }
    }
    return names;
  }

  /** The manifests of {@code versions}, in their order, read several at a time. */
  public List<Manifest> manifests(String library, List<ReleaseVersion> versions) {
    return Threads.inParallel(
        versions,
        16,
        "cdnpub-manifest-read",
        "reading manifests",
        version ->
            manifest(library, version)
                .orElseThrow(
                    () ->
                        new CdnpubException(
                            ExitCode.REMOTE,
                            "the manifest of "
                                + library
                                + " "
                                + version
                                + " is listed but cannot be read; try again.")));
  }

  public Optional<Manifest> manifest(String library, ReleaseVersion version) {
    return Publisher.readManifest(store, Keys.manifest(library, version));
  }
}

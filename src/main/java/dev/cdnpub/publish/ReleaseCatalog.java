package dev.cdnpub.publish;

import dev.cdnpub.store.ObjectStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Reads which versions of a library are sealed (have a manifest). */
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

  /** Versions withdrawn with {@code cdnpub yank}. */
  public java.util.Set<String> yankedVersions(String library) {
    return new java.util.TreeSet<>(jsonNamesUnder(Keys.yankedPrefix(library)));
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

  public Optional<Manifest> manifest(String library, ReleaseVersion version) {
    return Publisher.readManifest(store, Keys.manifest(library, version));
  }
}

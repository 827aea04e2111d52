package dev.cdnpub.alias;

import java.util.Optional;

/**
 * Where the resolver reads aliases: Workers KV, key {@code {library}/{alias}}, value the bare
 * stable version, and a canary (if any) in the key's metadata as {@link Canary#kvMetadata()}, so
 * that a resolver which reads only the value sends everyone to the stable version. A projection of
 * the {@link AliasLog}, never the source of truth: it may lag (KV is eventually consistent and has
 * no compare-and-swap), and {@code alias sync} rewrites it from the log.
 *
 * <p>Failures are {@link dev.cdnpub.core.CdnpubException}s (5 remote, 6 refused token).
 * Thread-safe.
 */
public interface AliasKv {
  /**
   * Replaces the value and the metadata of {@code key}: {@code canary} null leaves the key with no
   * metadata (an earlier canary is gone).
   */
  void put(String key, String version, Canary canary);

  Optional<String> get(String key);

  /**
   * The metadata of {@code key} as JSON text (a canary: {@link Canary#kvMetadata()}), or empty when
   * it has none. Read after {@link #get}, a reader never sees a new stable value with a canary that
   * its write ended (writers put the metadata first).
   */
  Optional<String> metadata(String key);

  /** One line naming where the values go, for output. */
  String describe();
}

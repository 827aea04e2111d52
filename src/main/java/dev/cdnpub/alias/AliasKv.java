package dev.cdnpub.alias;

import java.util.Optional;

/**
 * Where the resolver reads aliases: Workers KV, key {@code {library}/{alias}}, value the bare
 * version. A projection of the {@link AliasLog}, never the source of truth: it may lag (KV is
 * eventually consistent and has no compare-and-swap), and {@code alias sync} rewrites it from the
 * log.
 *
 * <p>Failures are {@link dev.cdnpub.core.CdnpubException}s (5 remote, 6 refused token).
 * Thread-safe.
 */
public interface AliasKv {
  void put(String key, String value);

  Optional<String> get(String key);

  /** One line naming where the values go, for output. */
  String describe();
}

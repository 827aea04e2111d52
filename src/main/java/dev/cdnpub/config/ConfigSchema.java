package dev.cdnpub.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The schema of {@code cdnpub.json}: every key cdnpub reads, with its JSON type. {@link ConfigFile}
 * binds each file to it with unknown keys and type coercion refused, so a misspelt key or a wrong
 * type is an error instead of a setting silently ignored. A new key is added here, read through
 * {@link ConfigFile#get}, and documented in docs/publish.md (a test checks both).
 */
record ConfigSchema(
    String target,
    String library,
    String publicUrl,
    String entry,
    Local local,
    R2 r2,
    Kv kv,
    Cloudflare cloudflare,
    Worker worker) {

  record Local(String dir) {}

  record R2(String accountId, String bucket, String endpoint) {}

  record Kv(String namespaceId) {}

  record Cloudflare(String accountId, String api) {}

  record Worker(String cdnHost, String zoneName, String zoneId, String name, Vars vars) {}

  /** The resolver's TTLs, whole seconds; the names are the Worker's variable names. */
  record Vars(
      @JsonProperty("ALIAS_BROWSER_TTL") Long aliasBrowserTtl,
      @JsonProperty("ALIAS_SHORT_BROWSER_TTL") Long aliasShortBrowserTtl,
      @JsonProperty("KV_CACHE_TTL") Long kvCacheTtl) {}
}

package dev.cdnpub.alias;

import dev.cdnpub.cloudflare.KvClient;
import java.util.Optional;

/** Aliases in Workers KV through the Cloudflare REST API; a canary in the key's metadata. */
public final class CloudflareKvAliasKv implements AliasKv {
  private final KvClient client;
  private final String namespaceId;

  public CloudflareKvAliasKv(KvClient client, String namespaceId) {
    this.client = client;
    this.namespaceId = namespaceId;
  }

  @Override
  public void put(String key, String version, Canary canary) {
    client.put(key, version, canary == null ? null : canary.kvMetadata());
  }

  @Override
  public Optional<String> get(String key) {
    return client.get(key);
  }

  @Override
  public Optional<String> metadata(String key) {
    return client.metadata(key);
  }

  @Override
  public String describe() {
    return "Workers KV namespace " + namespaceId;
  }
}

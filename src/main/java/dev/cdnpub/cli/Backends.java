package dev.cdnpub.cli;

import dev.cdnpub.alias.AliasKv;
import dev.cdnpub.alias.AliasService;
import dev.cdnpub.alias.CloudflareKvAliasKv;
import dev.cdnpub.alias.LocalAliasKv;
import dev.cdnpub.cloudflare.KvClient;
import dev.cdnpub.config.KvSettings;
import dev.cdnpub.config.Settings;
import dev.cdnpub.store.ObjectStore;

/** Wires the adapters a command needs from the settings; the only place that picks them. */
final class Backends {
  private Backends() {}

  /** The KV that the resolver reads: the local store's folder, or Workers KV for R2. */
  static AliasKv kv(RunContext ctx, Settings settings) {
    return switch (settings.target()) {
      case LOCAL -> new LocalAliasKv(settings.localDir());
      case R2 -> {
        KvSettings kv = settings.kv();
        yield new CloudflareKvAliasKv(
            new KvClient(ctx.cloudflareApi(kv.apiBase(), kv.apiToken()), kv.accountId(), kv.namespaceId()),
            kv.namespaceId());
      }
    };
  }

  static AliasService aliases(RunContext ctx, Settings settings, ObjectStore store, AliasKv kv, String actorFlag) {
    return new AliasService(store, kv, settings.library(), ctx.clock(), settings.actor(actorFlag));
  }
}

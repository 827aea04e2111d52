package dev.cdnpub.app;

import dev.cdnpub.alias.AliasKv;
import dev.cdnpub.alias.AliasService;
import dev.cdnpub.alias.CloudflareKvAliasKv;
import dev.cdnpub.alias.LocalAliasKv;
import dev.cdnpub.cloudflare.CloudflareApi;
import dev.cdnpub.cloudflare.KvClient;
import dev.cdnpub.config.KvSettings;
import dev.cdnpub.config.Settings;
import dev.cdnpub.config.SettingsResolver;
import dev.cdnpub.core.CdnpubException;
import dev.cdnpub.store.ObjectStore;
import dev.cdnpub.verify.OkHttpPublicSite;
import dev.cdnpub.verify.PublicSite;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The composition root: the one place that turns resolved settings, plus the environment, the
 * working folder, the clock and where notices go, into adapters (object store, KV, Cloudflare API
 * client). Use cases ask it for what they need; nothing above the adapters knows OkHttp or AWS SDK
 * types, and nothing but this class picks an adapter.
 */
public final class Application {
  private final Map<String, String> env;
  private final Path workDir;
  private final Clock clock;
  private final Consumer<String> notices;
  private final StoreFactory stores;
  private final ApiFactory apis;

  /**
   * @param notices receives a line for the user that is not a result (a long wait before a retry);
   *     the CLI prints it on stderr through the redacting console
   */
  public Application(
      Map<String, String> env,
      Path workDir,
      Clock clock,
      Consumer<String> notices,
      StoreFactory stores,
      ApiFactory apis) {
    this.env = env;
    this.workDir = workDir;
    this.clock = clock;
    this.notices = notices;
    this.stores = stores;
    this.apis = apis;
  }

  public Path workDir() {
    return workDir;
  }

  public Clock clock() {
    return clock;
  }

  /** Every setting of this run, from flags, environment, cdnpub.json and defaults. */
  public Settings settings(SettingsResolver.Flags flags) {
    return new SettingsResolver(env, workDir).resolve(flags);
  }

  /**
   * Settings for a use case that reads or writes a store: in CI, the store must be chosen
   * explicitly, because a CI job's working folder (and a local store in it) vanishes with the job,
   * and reading an empty local store would make a job "succeed" against nothing.
   */
  public Settings storeSettings(SettingsResolver.Flags flags) {
    Settings settings = settings(flags);
    if (!settings.targetExplicit() && inCi()) {
      throw CdnpubException.usage(
          "CI is set but no target was chosen, and a CI job must not use a local folder that vanishes with it: "
              + "set CDNPUB_TARGET=r2 with CDNPUB_R2_BUCKET, CLOUDFLARE_ACCOUNT_ID, R2_ACCESS_KEY_ID and R2_SECRET_ACCESS_KEY "
              + "(or pass --target local to use the local store on purpose).");
    }
    return settings;
  }

  /** Whether this run is inside a CI job ({@code CI} set to anything but empty or "false"). */
  public boolean inCi() {
    String ci = env.get("CI");
    return ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false") && !ci.equals("0");
  }

  /** The object store the settings name; the caller closes it. */
  public ObjectStore store(Settings settings, long multipartThreshold) {
    return stores.open(settings, multipartThreshold, notices);
  }

  /** The KV that the resolver reads: the local store's folder, or Workers KV for R2. */
  public AliasKv kv(Settings settings) {
    return switch (settings.target()) {
      case LOCAL -> new LocalAliasKv(settings.localDir());
      case R2 -> {
        KvSettings kv = settings.kv();
        yield new CloudflareKvAliasKv(
            new KvClient(cloudflare(kv), kv.accountId(), kv.namespaceId()), kv.namespaceId());
      }
    };
  }

  /**
   * The Cloudflare REST API client; a long wait before a retry is announced through the notices.
   */
  public CloudflareApi cloudflare(KvSettings api) {
    return apis.open(api.apiBase(), api.apiToken(), notices);
  }

  /**
   * The CDN as a browser sees it, below {@code baseUrl}: the timeouts of the Cloudflare API client
   * (no request can hang), redirects not followed. The caller closes it.
   */
  public PublicSite publicSite(String baseUrl) {
    return new OkHttpPublicSite(CloudflareApi.httpClient().build(), baseUrl);
  }

  /** Alias moves for the settings' library, recorded with the actor (flag, else environment). */
  public AliasService aliases(Settings settings, ObjectStore store, AliasKv kv, String actorFlag) {
    return new AliasService(
        store, kv, settings.library(), clock, settings.actor(actorFlag), settings.hints());
  }

  /** The aliases of a session's library, with KV as its settings name it. */
  public AliasService aliases(StoreSession session, String actorFlag) {
    return aliases(session.settings(), session.store(), kv(session.settings()), actorFlag);
  }

  /**
   * The settings and open store of a use case that works on one library's store. Every such use
   * case works from what the store holds (reads it, moves aliases it records, rewrites KV from it),
   * so a local store that does not exist is exit 4 naming the folder, not "no alias v1" or an empty
   * answer for a mistyped --local-dir. {@code validate} checks the request's arguments after the
   * library is known and before anything is opened.
   */
  public StoreSession openStore(SettingsResolver.Flags flags, Runnable validate) {
    Settings settings = storeSettings(flags);
    settings.library();
    validate.run();
    settings.checkLocalStore();
    return new StoreSession(settings, store(settings, Long.MAX_VALUE));
  }

  /**
   * The settings and open store of a use case that reads every library in the store (the resolver
   * Worker's routes), so no library name is needed; the store must exist, as for {@link
   * #openStore}.
   */
  public StoreSession openWholeStore(SettingsResolver.Flags flags) {
    Settings settings = storeSettings(flags);
    settings.checkLocalStore();
    return new StoreSession(settings, store(settings, Long.MAX_VALUE));
  }

  /** Settings and the store they name, closed together. */
  public record StoreSession(Settings settings, ObjectStore store) implements AutoCloseable {
    /** The library of the run; a usage error when none is given (see {@link #openWholeStore}). */
    public String library() {
      return settings.library();
    }

    @Override
    public void close() {
      store.close();
    }
  }
}

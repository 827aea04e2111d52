package dev.cdnpub.config;

import dev.cdnpub.core.CdnpubException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every setting of one run, resolved once by {@link SettingsResolver}: flag, then environment, then
 * {@code cdnpub.json}, then default, each value read through {@link #find} (trimmed; blank means not
 * set). Accessors for settings a command may not need (R2, credentials)
 * validate on use, so {@code --dry-run} works without them.
 */
public final class Settings {
  private final Map<String, String> env;
  private final ConfigFile config;
  private final TargetKind target;
  private final String targetSource;
  private final Path localDir;
  private final String localDirSource;
  private final String library;
  private final String librarySource;

  Settings(
      Map<String, String> env,
      ConfigFile config,
      TargetKind target,
      String targetSource,
      Path localDir,
      String localDirSource,
      String library,
      String librarySource) {
    this.env = env;
    this.config = config;
    this.target = target;
    this.targetSource = targetSource;
    this.localDir = localDir;
    this.localDirSource = localDirSource;
    this.library = library;
    this.librarySource = librarySource;
  }

  /** A value and where it came from ("--library", "CDNPUB_LIBRARY", "cdnpub.json (library)"). */
  record Found(String value, String source) {}

  /**
   * The one rule for every value, whether from a flag, the environment or cdnpub.json: surrounding
   * whitespace is dropped, and a blank value counts as not given.
   */
  public static String clean(String raw) {
    return raw == null || raw.isBlank() ? null : raw.strip();
  }

  /** The first given of flag, environment variable and config key (each may be null), cleaned. */
  static Found find(String flag, String flagName, Map<String, String> env, String envName, ConfigFile config, String key) {
    String value = clean(flag);
    if (value != null) {
      return new Found(value, flagName);
    }
    value = envName == null ? null : clean(env.get(envName));
    if (value != null) {
      return new Found(value, envName);
    }
    value = key == null ? null : clean(config.get(key));
    return value == null ? null : new Found(value, config.describe(key));
  }

  public TargetKind target() {
    return target;
  }

  /** How the target was chosen ("--target", "CDNPUB_TARGET", …), or null when it is the default. */
  public String targetSource() {
    return targetSource;
  }

  public boolean targetExplicit() {
    return targetSource != null;
  }

  public Path localDir() {
    return localDir;
  }

  public String library() {
    if (library == null) {
      throw CdnpubException.usage(
          "no library name: give --library, set CDNPUB_LIBRARY, put \"library\" in cdnpub.json, or run where package.json names it.");
    }
    return library;
  }

  public String librarySource() {
    return librarySource;
  }

  /** R2 settings, complete or a usage error naming every missing one. */
  public R2Settings r2() {
    String account = value("CLOUDFLARE_ACCOUNT_ID", "r2.accountId");
    String bucket = value("CDNPUB_R2_BUCKET", "r2.bucket");
    String endpoint = value("CDNPUB_R2_ENDPOINT", "r2.endpoint");
    List<String> missing = new ArrayList<>();
    if (bucket == null) {
      missing.add("CDNPUB_R2_BUCKET (or r2.bucket in cdnpub.json)");
    }
    if (endpoint == null && account == null) {
      missing.add("CLOUDFLARE_ACCOUNT_ID (or r2.accountId, or CDNPUB_R2_ENDPOINT)");
    }
    if (!missing.isEmpty()) {
      throw CdnpubException.usage("the r2 target needs " + String.join(" and ", missing) + ".");
    }
    URI uri;
    if (endpoint != null) {
      try {
        uri = URI.create(endpoint);
      } catch (IllegalArgumentException e) {
        throw CdnpubException.usage("CDNPUB_R2_ENDPOINT '" + endpoint + "' is not a URL.");
      }
      if (uri.getScheme() == null || uri.getHost() == null
          || !(uri.getScheme().equals("https") || uri.getScheme().equals("http"))) {
        throw CdnpubException.usage("CDNPUB_R2_ENDPOINT '" + endpoint + "' is not an http(s) URL.");
      }
    } else {
      if (!account.matches("[A-Za-z0-9]+")) {
        throw CdnpubException.usage("CLOUDFLARE_ACCOUNT_ID is not an account id (letters and digits only).");
      }
      uri = URI.create("https://" + account + ".r2.cloudflarestorage.com");
    }
    return new R2Settings(account, bucket, uri);
  }

  /** S3 credentials: R2_* first, then AWS_*; secrets come only from the environment. */
  public Credentials r2Credentials() {
    String id = clean(env.get("R2_ACCESS_KEY_ID"));
    String secret = clean(env.get("R2_SECRET_ACCESS_KEY"));
    if (id == null && secret == null) {
      id = clean(env.get("AWS_ACCESS_KEY_ID"));
      secret = clean(env.get("AWS_SECRET_ACCESS_KEY"));
    }
    if (id == null || secret == null) {
      throw CdnpubException.usage(
          "the r2 target needs credentials in the environment: R2_ACCESS_KEY_ID and R2_SECRET_ACCESS_KEY (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY).");
    }
    return new Credentials(id, secret);
  }

  /** Cloudflare API settings for Workers KV, complete or a usage error naming every missing one. */
  public KvSettings kv() {
    String account = value("CLOUDFLARE_ACCOUNT_ID", "r2.accountId");
    if (account == null) {
      account = value(null, "cloudflare.accountId");
    }
    String namespace = value("CDNPUB_KV_NAMESPACE_ID", "kv.namespaceId");
    String token = clean(env.get("CLOUDFLARE_API_TOKEN"));
    List<String> missing = new ArrayList<>();
    if (account == null) {
      missing.add("CLOUDFLARE_ACCOUNT_ID");
    }
    if (namespace == null) {
      missing.add("CDNPUB_KV_NAMESPACE_ID (or kv.namespaceId in cdnpub.json)");
    }
    if (token == null) {
      missing.add("CLOUDFLARE_API_TOKEN (environment only)");
    }
    if (!missing.isEmpty()) {
      throw CdnpubException.usage("aliases on R2 live in Workers KV, and the Cloudflare API needs " + String.join(", ", missing)
          + " (publish --no-aliases skips aliases).");
    }
    if (!account.matches("[A-Za-z0-9]+") || !namespace.matches("[A-Za-z0-9]+")) {
      throw CdnpubException.usage("CLOUDFLARE_ACCOUNT_ID and CDNPUB_KV_NAMESPACE_ID must be ids of letters and digits.");
    }
    String api = value("CDNPUB_CLOUDFLARE_API", "cloudflare.api");
    return new KvSettings(account, namespace, api == null ? DEFAULT_CLOUDFLARE_API : api, token);
  }

  public static final String DEFAULT_CLOUDFLARE_API = "https://api.cloudflare.com/client/v4";

  /** Who made a change, for the alias history: --actor, else GITHUB_ACTOR, else the user name. */
  public String actor(String flag) {
    for (String candidate : new String[] {flag, env.get("GITHUB_ACTOR"), env.get("USER"), env.get("LOGNAME"), env.get("USERNAME")}) {
      if (clean(candidate) != null) {
        return clean(candidate);
      }
    }
    return "unknown";
  }

  /** The resolver's TTL variables and their defaults (seconds), as the Worker reads them. */
  public static final java.util.Map<String, String> WORKER_VAR_DEFAULTS = java.util.Map.of(
      "ALIAS_BROWSER_TTL", "300",
      "ALIAS_EDGE_TTL", "60",
      "ALIAS_SHORT_BROWSER_TTL", "60",
      "ALIAS_SHORT_EDGE_TTL", "30",
      "KV_CACHE_TTL", "60");

  /**
   * Settings of the resolver Worker. {@code needZoneId}: the Workers API addresses routes by zone id,
   * while wrangler.jsonc may name the zone.
   */
  public dev.cdnpub.worker.WorkerSettings worker(boolean needZoneId) {
    String host = value("CDNPUB_CDN_HOST", "worker.cdnHost");
    String zoneName = value("CDNPUB_ZONE_NAME", "worker.zoneName");
    String zoneId = value("CDNPUB_ZONE_ID", "worker.zoneId");
    String namespace = value("CDNPUB_KV_NAMESPACE_ID", "kv.namespaceId");
    String name = value("CDNPUB_WORKER_NAME", "worker.name");
    List<String> missing = new ArrayList<>();
    if (host == null) {
      missing.add("CDNPUB_CDN_HOST (or worker.cdnHost)");
    }
    if (needZoneId ? zoneId == null : zoneId == null && zoneName == null) {
      missing.add(needZoneId ? "CDNPUB_ZONE_ID (or worker.zoneId)" : "CDNPUB_ZONE_NAME or CDNPUB_ZONE_ID (or worker.zoneName)");
    }
    if (namespace == null) {
      missing.add("CDNPUB_KV_NAMESPACE_ID (or kv.namespaceId)");
    }
    if (!missing.isEmpty()) {
      throw CdnpubException.usage("the resolver Worker needs " + String.join(", ", missing) + ".");
    }
    if (!host.matches("(?i)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+")) {
      throw CdnpubException.usage("CDNPUB_CDN_HOST '" + host + "' is not a host name such as cdn.example.com (no scheme, no path).");
    }
    if (name == null) {
      name = "cdnpub-resolver";
    } else if (!name.matches("[a-z0-9][a-z0-9_-]{0,62}")) {
      throw CdnpubException.usage("worker name '" + name + "' must be lower-case letters, digits, '-' and '_'.");
    }
    java.util.Map<String, String> vars = new java.util.TreeMap<>();
    for (var e : WORKER_VAR_DEFAULTS.entrySet()) {
      String v = value("CDNPUB_" + e.getKey(), "worker.vars." + e.getKey());
      if (v != null && !v.matches("\\d{1,9}")) {
        throw CdnpubException.usage(e.getKey() + " '" + v + "' is not a number of seconds.");
      }
      vars.put(e.getKey(), v == null ? e.getValue() : v);
    }
    return new dev.cdnpub.worker.WorkerSettings(name, host.toLowerCase(java.util.Locale.ROOT), zoneName, zoneId, namespace, vars);
  }

  /** An environment variable, else a config file key, else null; cleaned. */
  public String value(String envName, String configKey) {
    Found found = find(null, null, env, envName, config, configKey);
    return found == null ? null : found.value();
  }

  public String env(String name) {
    return env.get(name);
  }

  public ConfigFile config() {
    return config;
  }
}

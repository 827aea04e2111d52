package dev.cdnpub.config;

import dev.cdnpub.core.CdnpubException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every setting of one run, resolved once by {@link SettingsResolver}: flag, then environment, then
 * {@code cdnpub.json}, then default. Accessors for settings a command may not need (R2, credentials)
 * validate on use, so {@code --dry-run} works without them.
 */
public final class Settings {
  private final Map<String, String> env;
  private final ConfigFile config;
  private final TargetKind target;
  private final String targetSource;
  private final Path localDir;
  private final String library;
  private final String librarySource;

  Settings(
      Map<String, String> env,
      ConfigFile config,
      TargetKind target,
      String targetSource,
      Path localDir,
      String library,
      String librarySource) {
    this.env = env;
    this.config = config;
    this.target = target;
    this.targetSource = targetSource;
    this.localDir = localDir;
    this.library = library;
    this.librarySource = librarySource;
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
    String id = env.get("R2_ACCESS_KEY_ID");
    String secret = env.get("R2_SECRET_ACCESS_KEY");
    if (blank(id) && blank(secret)) {
      id = env.get("AWS_ACCESS_KEY_ID");
      secret = env.get("AWS_SECRET_ACCESS_KEY");
    }
    if (blank(id) || blank(secret)) {
      throw CdnpubException.usage(
          "the r2 target needs credentials in the environment: R2_ACCESS_KEY_ID and R2_SECRET_ACCESS_KEY (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY).");
    }
    return new Credentials(id, secret);
  }

  /** Cloudflare API settings for Workers KV, complete or a usage error naming every missing one. */
  public KvSettings kv() {
    String account = value("CLOUDFLARE_ACCOUNT_ID", "r2.accountId");
    if (account == null) {
      account = config.get("cloudflare.accountId");
    }
    String namespace = value("CDNPUB_KV_NAMESPACE_ID", "kv.namespaceId");
    String token = env.get("CLOUDFLARE_API_TOKEN");
    List<String> missing = new ArrayList<>();
    if (account == null) {
      missing.add("CLOUDFLARE_ACCOUNT_ID");
    }
    if (namespace == null) {
      missing.add("CDNPUB_KV_NAMESPACE_ID (or kv.namespaceId in cdnpub.json)");
    }
    if (blank(token)) {
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
    return new KvSettings(account, namespace, api == null ? DEFAULT_CLOUDFLARE_API : api, token.trim());
  }

  public static final String DEFAULT_CLOUDFLARE_API = "https://api.cloudflare.com/client/v4";

  /** Who made a change, for the alias history: --actor, else GITHUB_ACTOR, else the user name. */
  public String actor(String flag) {
    for (String candidate : new String[] {flag, env.get("GITHUB_ACTOR"), env.get("USER"), env.get("LOGNAME"), env.get("USERNAME")}) {
      if (!blank(candidate)) {
        return candidate.trim();
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

  /** An environment variable, else a config file field, else null. */
  public String value(String envName, String configPath) {
    String fromEnv = env.get(envName);
    if (!blank(fromEnv)) {
      return fromEnv.trim();
    }
    return configPath == null ? null : config.get(configPath);
  }

  public String env(String name) {
    return env.get(name);
  }

  public ConfigFile config() {
    return config;
  }

  static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}

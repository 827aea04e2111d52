package dev.cdnpub.config;

import dev.cdnpub.core.CdnpubException;
import dev.cdnpub.core.Hints;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Every setting of one run, resolved once by {@link SettingsResolver} and this constructor: flag,
 * then environment, then {@code cdnpub.json}, then default, each value read through {@link #find}
 * (trimmed; blank means not set). The R2, credential and Workers KV settings are resolved into
 * values and their problems when the settings are made; an accessor for settings a command may not
 * need (a dry run needs no credentials) returns the value or throws the problems it was resolved
 * with, so a command asks only for what it uses. {@link #requirePublish} reports every problem a
 * publish has in one message.
 */
public final class Settings {
  public static final String DEFAULT_CLOUDFLARE_API = "https://api.cloudflare.com/client/v4";
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9]+");

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
      String librarySource,
      Function<String, String> packageJson) {
    this.env = env;
    this.config = config;
    this.target = target;
    this.targetSource = targetSource;
    this.localDir = localDir;
    this.localDirSource = localDirSource;
    this.library = library;
    this.librarySource = librarySource;
    this.packageJson = packageJson;
    Problems r2Problems = new Problems();
    this.r2 = new Resolved<>(r2(r2Problems), r2Problems);
    Problems credentialProblems = new Problems();
    this.credentials = new Resolved<>(r2Credentials(credentialProblems), credentialProblems);
    Problems kvProblems = new Problems();
    this.kv = new Resolved<>(kv(kvProblems, true), kvProblems);
    Problems kvWithoutTokenProblems = new Problems();
    this.kvWithoutToken = new Resolved<>(kv(kvWithoutTokenProblems, false), kvWithoutTokenProblems);
    Problems exportProblems = new Problems();
    this.workerForExport = new Resolved<>(worker(exportProblems, false), exportProblems);
    Problems deployProblems = new Problems();
    this.workerForDeploy = new Resolved<>(worker(deployProblems, true), deployProblems);
  }

  /** A group of settings resolved once: its value, or null and what is missing or wrong. */
  private record Resolved<T>(T value, Problems problems) {
    T orThrow(String subject) {
      problems.throwIfAny(subject);
      return value;
    }
  }

  private final Function<String, String> packageJson;
  private final Resolved<R2Settings> r2;
  private final Resolved<Credentials> credentials;
  private final Resolved<KvSettings> kv;
  private final Resolved<KvSettings> kvWithoutToken;
  private final Resolved<WorkerSettings> workerForExport;
  private final Resolved<WorkerSettings> workerForDeploy;

  /** A value and where it came from ("--library", "CDNPUB_LIBRARY", "cdnpub.json (library)"). */
  public record Found(String value, String source) {}

  /**
   * The one rule for every value, whether from a flag, the environment or cdnpub.json: surrounding
   * whitespace is dropped, and a blank value counts as not given.
   */
  public static String clean(String raw) {
    return raw == null || raw.isBlank() ? null : raw.strip();
  }

  /** The first given of flag, environment variable and config key (each may be null), cleaned. */
  static Found find(
      String flag,
      String flagName,
      Map<String, String> env,
      String envName,
      ConfigFile config,
      String key) {
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

  /** The command lines messages suggest, with {@code --library} when the library came from it. */
  public Hints hints() {
    return new Hints("--library".equals(librarySource) ? library : null);
  }

  /**
   * The public base URL of the CDN (flag, else {@code CDNPUB_PUBLIC_URL}, else {@code publicUrl}),
   * checked to be a plain http(s) URL and returned without a trailing slash; null when none is
   * given.
   */
  public String publicUrl(String flag) {
    Found found = find(flag, "--base-url", env, "CDNPUB_PUBLIC_URL", config, "publicUrl");
    if (found == null) {
      return null;
    }
    String problem = urlProblem(found, "the CDN's base URL such as https://cdn.example.com");
    if (problem != null) {
      throw CdnpubException.usage(problem + ".");
    }
    return found.value().replaceAll("/+$", "");
  }

  /** The entry file named in cdnpub.json ({@code entry}), or null. */
  public String configEntry() {
    return clean(config.get("entry"));
  }

  /** A text field of ./package.json ({@code browser}, {@code module}, {@code main}), or null. */
  public String packageField(String field) {
    return packageJson.apply(field);
  }

  /**
   * The version of the release to publish and where it came from: {@code flag} (--version), else
   * {@code CDNPUB_VERSION}, else {@code version} in ./package.json (the file that also names the
   * library); a usage error when none gives one.
   */
  public Found releaseVersion(String flag) {
    Found found = find(flag, "--version", env, "CDNPUB_VERSION", config, null);
    if (found == null) {
      String fromPackage = packageJson.apply("version");
      found = fromPackage == null ? null : new Found(fromPackage, "package.json (version)");
    }
    if (found == null) {
      throw CdnpubException.usage(
          "no version: give --version, set CDNPUB_VERSION, or run where package.json has a \"version\".");
    }
    return found;
  }

  /** R2 settings, complete or a usage error naming every missing or wrong one. */
  public R2Settings r2() {
    return r2.orThrow("the r2 target");
  }

  /** S3 credentials: R2_* first, then AWS_*; secrets come only from the environment. */
  public Credentials r2Credentials() {
    return credentials.orThrow("the r2 target");
  }

  /** Cloudflare API settings for Workers KV, complete or a usage error naming every missing one. */
  public KvSettings kv() {
    return kv.orThrow("aliases on R2 live in Workers KV, and the Cloudflare API");
  }

  /**
   * Checks every setting a publish to the chosen target needs, and reports all that are missing or
   * wrong in one usage error before anything is read or written: the library name, the local
   * store's folder, or the R2 settings, the Workers KV settings when {@code aliases}, and the
   * secrets when {@code secrets} (a dry run needs none: see {@link #missingSecrets}).
   */
  public void requirePublish(boolean aliases, boolean secrets) {
    Problems problems = new Problems();
    if (library == null) {
      problems.missing(
          "library",
          "a library name (--library, CDNPUB_LIBRARY, library in "
              + config.name()
              + ", or the name in ./package.json)");
    }
    if (target == TargetKind.LOCAL) {
      String problem = localStoreProblem();
      if (problem != null) {
        problems.invalid(problem);
      }
    } else {
      problems.addAll(r2.problems());
      if (secrets) {
        problems.addAll(credentials.problems());
      }
      if (aliases) {
        Problems kvProblems = (secrets ? kv : kvWithoutToken).problems();
        problems.addAll(kvProblems);
        problems.aliasHint |= kvProblems.aliasHint;
      }
    }
    problems.throwIfAny(
        target == TargetKind.LOCAL ? "publish to the local store" : "publish to r2");
  }

  /**
   * The secret environment variables a real publish to the chosen target needs and that are not
   * set.
   */
  public List<String> missingSecrets(boolean aliases) {
    List<String> missing = new ArrayList<>();
    if (target == TargetKind.R2) {
      if (credentials.value() == null) {
        for (String name : List.of("R2_ACCESS_KEY_ID", "R2_SECRET_ACCESS_KEY")) {
          if (clean(env.get(name)) == null) {
            missing.add(name);
          }
        }
      }
      if (aliases && clean(env.get("CLOUDFLARE_API_TOKEN")) == null) {
        missing.add("CLOUDFLARE_API_TOKEN");
      }
    }
    return missing;
  }

  /**
   * For the local target of a command that works from what the store holds (every command but
   * publish): the folder must be usable (exit 2 if it is a file or lies under one) and must exist
   * (exit 4), because a store that was never created would answer "nothing there" ("no alias v1",
   * "1.0.0 is not published") for a mistyped path.
   */
  public void checkLocalStore() {
    if (target != TargetKind.LOCAL) {
      return;
    }
    String problem = localStoreProblem();
    if (problem != null) {
      throw CdnpubException.usage(problem + ".");
    }
    if (!Files.isDirectory(localDir)) {
      throw CdnpubException.notFound(
          "the local store "
              + localDir
              + " ("
              + describeLocalSource()
              + ") does not exist: nothing was published there; check --local-dir, CDNPUB_LOCAL_DIR or local.dir.");
    }
  }

  private String localStoreProblem() {
    if (Files.exists(localDir) && !Files.isDirectory(localDir)) {
      return "the local store folder "
          + localDir
          + " ("
          + describeLocalSource()
          + ") is a file, not a folder";
    }
    for (Path parent = localDir.getParent(); parent != null; parent = parent.getParent()) {
      if (Files.exists(parent)) {
        if (!Files.isDirectory(parent)) {
          return "the local store folder "
              + localDir
              + " ("
              + describeLocalSource()
              + ") cannot be created, because "
              + parent
              + " is a file";
        }
        break;
      }
    }
    return null;
  }

  private String describeLocalSource() {
    return localDirSource == null ? "the default" : "from " + localDirSource;
  }

  private R2Settings r2(Problems problems) {
    Found account = value("CLOUDFLARE_ACCOUNT_ID", "r2.accountId");
    Found bucket = value("CDNPUB_R2_BUCKET", "r2.bucket");
    Found endpoint = value("CDNPUB_R2_ENDPOINT", "r2.endpoint");
    boolean ok = true;
    if (bucket == null) {
      problems.missing("bucket", "CDNPUB_R2_BUCKET (or r2.bucket in " + config.name() + ")");
      ok = false;
    }
    URI uri = null;
    if (endpoint != null) {
      String problem =
          urlProblem(endpoint, "an S3 endpoint such as https://{account}.r2.cloudflarestorage.com");
      if (problem != null) {
        problems.invalid(problem);
        ok = false;
      } else {
        uri = URI.create(endpoint.value());
      }
    } else if (account == null) {
      problems.missing(
          "account",
          "CLOUDFLARE_ACCOUNT_ID (or r2.accountId in "
              + config.name()
              + ", or CDNPUB_R2_ENDPOINT)");
      ok = false;
    }
    if (account != null && !ID.matcher(account.value()).matches()) {
      problems.invalid(account.source() + " is not an account id (letters and digits only)");
      ok = false;
    } else if (uri == null && account != null) {
      uri = URI.create("https://" + account.value() + ".r2.cloudflarestorage.com");
    }
    return ok
        ? new R2Settings(account == null ? null : account.value(), bucket.value(), uri)
        : null;
  }

  private Credentials r2Credentials(Problems problems) {
    String id = clean(env.get("R2_ACCESS_KEY_ID"));
    String secret = clean(env.get("R2_SECRET_ACCESS_KEY"));
    if (id == null && secret == null) {
      id = clean(env.get("AWS_ACCESS_KEY_ID"));
      secret = clean(env.get("AWS_SECRET_ACCESS_KEY"));
    }
    if (id == null || secret == null) {
      problems.missing(
          "credentials",
          "credentials in the environment: R2_ACCESS_KEY_ID and R2_SECRET_ACCESS_KEY"
              + " (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)");
      return null;
    }
    return new Credentials(id, secret);
  }

  private KvSettings kv(Problems problems, boolean needToken) {
    Found account = value("CLOUDFLARE_ACCOUNT_ID", "r2.accountId");
    if (account == null) {
      account = value(null, "cloudflare.accountId");
    }
    Found namespace = value("CDNPUB_KV_NAMESPACE_ID", "kv.namespaceId");
    String token = clean(env.get("CLOUDFLARE_API_TOKEN"));
    Found api = value("CDNPUB_CLOUDFLARE_API", "cloudflare.api");
    Problems own = new Problems();
    if (account == null) {
      own.missing(
          "account",
          "CLOUDFLARE_ACCOUNT_ID (or r2.accountId or cloudflare.accountId in "
              + config.name()
              + ")");
    } else if (!ID.matcher(account.value()).matches()) {
      own.invalid(account.source() + " is not an account id (letters and digits only)");
    }
    if (namespace == null) {
      own.missing(
          "namespace",
          "CDNPUB_KV_NAMESPACE_ID for aliases (or kv.namespaceId in " + config.name() + ")");
    } else if (!ID.matcher(namespace.value()).matches()) {
      own.invalid(namespace.source() + " is not a KV namespace id (letters and digits only)");
    }
    if (needToken && token == null) {
      own.missing("token", "CLOUDFLARE_API_TOKEN for aliases (environment only)");
    }
    if (api != null) {
      String problem = urlProblem(api, "the Cloudflare API base such as " + DEFAULT_CLOUDFLARE_API);
      if (problem != null) {
        own.invalid(problem);
      }
    }
    if (own.count() > 0) {
      // the KV account replaces R2's entry for it: the endpoint cannot stand in for the account
      // here
      problems.addAll(own);
      problems.aliasHint = true;
      return null;
    }
    return new KvSettings(
        account.value(),
        namespace.value(),
        api == null ? DEFAULT_CLOUDFLARE_API : api.value(),
        token);
  }

  /**
   * Null when {@code url} is a plain http(s) URL, else the problem. The message never quotes the
   * value: a URL with user info carries a password, and a malformed one may too.
   */
  private static String urlProblem(Found url, String expected) {
    URI uri;
    try {
      uri = new URI(url.value());
    } catch (URISyntaxException e) {
      return url.source() + " is not a URL; give " + expected;
    }
    if (uri.getRawUserInfo() != null
        || (uri.getRawAuthority() != null && uri.getRawAuthority().contains("@"))) {
      return url.source()
          + " holds a user name or password (user:password@host), which cdnpub does not take from a URL;"
          + " give the URL without it (credentials come only from their own environment variables)";
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
      return url.source() + " is not an http(s) URL; give " + expected;
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      return url.source() + " has a query or fragment; give " + expected;
    }
    return null;
  }

  /** Who made a change, for the alias history: --actor, else GITHUB_ACTOR, else the user name. */
  public String actor(String flag) {
    for (String candidate :
        new String[] {
          flag, env.get("GITHUB_ACTOR"), env.get("USER"), env.get("LOGNAME"), env.get("USERNAME")
        }) {
      if (clean(candidate) != null) {
        return clean(candidate);
      }
    }
    return "unknown";
  }

  /**
   * The resolver's TTL variables (seconds) a user may set. Their defaults are written once, in the
   * Worker's source (src/main/worker/resolver.js), which Java reads too (ResolverScript#vars).
   */
  public static final List<String> WORKER_VARS =
      List.of("ALIAS_BROWSER_TTL", "ALIAS_SHORT_BROWSER_TTL", "KV_CACHE_TTL");

  /**
   * Settings of the resolver Worker. {@code needZoneId}: the Workers API addresses routes by zone
   * id, while wrangler.jsonc may name the zone.
   */
  public WorkerSettings worker(boolean needZoneId) {
    return (needZoneId ? workerForDeploy : workerForExport).orThrow("the resolver Worker");
  }

  /**
   * Everything a Worker deploy needs, the Worker's settings and the Cloudflare API's, checked at
   * once: one usage error names every missing or wrong one.
   */
  public void requireDeploy() {
    Problems problems = new Problems();
    problems.addAll(workerForDeploy.problems());
    problems.addAll(kv.problems());
    problems.throwIfAny("deploying the resolver Worker");
  }

  /**
   * The R2 settings and credentials, or one usage error naming everything missing or wrong in both.
   */
  public void requireR2Access() {
    Problems problems = new Problems();
    problems.addAll(r2.problems());
    problems.addAll(credentials.problems());
    problems.throwIfAny("the r2 target");
  }

  private WorkerSettings worker(Problems problems, boolean needZoneId) {
    String host = value("CDNPUB_CDN_HOST", "worker.cdnHost", null);
    String zoneName = value("CDNPUB_ZONE_NAME", "worker.zoneName", null);
    String zoneId = value("CDNPUB_ZONE_ID", "worker.zoneId", null);
    String namespace = value("CDNPUB_KV_NAMESPACE_ID", "kv.namespaceId", null);
    String name = value("CDNPUB_WORKER_NAME", "worker.name", null);
    int before = problems.count();
    if (host == null) {
      problems.missing("host", "CDNPUB_CDN_HOST (or worker.cdnHost)");
    } else if (!host.matches(
        "(?i)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+")) {
      problems.invalid(
          "CDNPUB_CDN_HOST '"
              + host
              + "' is not a host name such as cdn.example.com (no scheme, no path)");
    }
    if (needZoneId ? zoneId == null : zoneId == null && zoneName == null) {
      problems.missing(
          "zone",
          needZoneId
              ? "CDNPUB_ZONE_ID (or worker.zoneId)"
              : "CDNPUB_ZONE_NAME or CDNPUB_ZONE_ID (or worker.zoneName)");
    }
    if (namespace == null) {
      problems.missing("namespace", "CDNPUB_KV_NAMESPACE_ID (or kv.namespaceId)");
    }
    if (name == null) {
      name = "cdnpub-resolver";
    } else if (!name.matches("[a-z0-9][a-z0-9_-]{0,62}")) {
      problems.invalid(
          "worker name '" + name + "' must be lower-case letters, digits, '-' and '_'");
    }
    Map<String, String> vars = vars(problems);
    return problems.count() > before
        ? null
        : new WorkerSettings(
            name, host.toLowerCase(Locale.ROOT), zoneName, zoneId, namespace, vars);
  }

  /**
   * The resolver's TTL variables the user set ({@code CDNPUB_ALIAS_BROWSER_TTL}, {@code
   * worker.vars.ALIAS_BROWSER_TTL}, …), each a whole number of seconds; a usage error naming every
   * one that is not. The Worker's defaults are not included (see ResolverScript#vars).
   */
  public Map<String, String> workerVars() {
    Problems problems = new Problems();
    Map<String, String> vars = vars(problems);
    problems.throwIfAny("the resolver's settings");
    return vars;
  }

  private Map<String, String> vars(Problems problems) {
    Map<String, String> vars = new TreeMap<>();
    for (String var : WORKER_VARS) {
      String v = value("CDNPUB_" + var, "worker.vars." + var, null);
      if (v != null && !v.matches("\\d{1,9}")) {
        problems.invalid(var + " '" + v + "' is not a number of seconds");
      } else if (v != null) {
        vars.put(var, v);
      }
    }
    return vars;
  }

  /** An environment variable, else a config file key, else {@code fallback}; cleaned. */
  public String value(String envName, String configKey, String fallback) {
    Found found = value(envName, configKey);
    return found == null ? fallback : found.value();
  }

  private Found value(String envName, String configKey) {
    return find(null, null, env, envName, config, configKey);
  }

  public ConfigFile config() {
    return config;
  }

  /**
   * What is wrong with the settings of one step, collected so that one message names all of it.
   * Missing settings are keyed, so that a later step can restate one (the KV account replaces
   * R2's).
   */
  private static final class Problems {
    private final Map<String, String> missing = new LinkedHashMap<>();
    private final Set<String> invalid = new LinkedHashSet<>();
    boolean aliasHint;

    void addAll(Problems other) {
      missing.putAll(other.missing);
      invalid.addAll(other.invalid);
    }

    void missing(String key, String text) {
      missing.put(key, text);
    }

    void invalid(String text) {
      invalid.add(text);
    }

    int count() {
      return missing.size() + invalid.size();
    }

    void throwIfAny(String subject) {
      if (count() == 0) {
        return;
      }
      List<String> parts = new ArrayList<>();
      if (!missing.isEmpty()) {
        parts.add(subject + " needs " + join(List.copyOf(missing.values())));
      }
      parts.addAll(invalid);
      throw CdnpubException.usage(
          String.join("; ", parts)
              + (aliasHint ? " (publish --no-aliases skips aliases)" : "")
              + ".");
    }

    private static String join(List<String> items) {
      if (items.size() == 1) {
        return items.get(0);
      }
      return String.join(", ", items.subList(0, items.size() - 1))
          + " and "
          + items.get(items.size() - 1);
    }
  }
}

package dev.cdnpub.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cdnpub.alias.AliasKv;
import dev.cdnpub.core.Jackson;
import dev.cdnpub.store.Digests;
import dev.cdnpub.worker.ResolverScript;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A port of the resolver Worker (src/main/worker/resolver.js, function {@code resolve}), line for
 * line, so that {@code cdnpub serve} answers alias URLs exactly as the Worker does; the shared
 * vectors (src/test/resources/resolver-vectors.json) run against both. Change them together.
 *
 * <p>One deliberate difference: where the Worker answers a pinned path ({@code /v1.2.3/…}) with 404
 * "not an alias" (pinned URLs never reach it in production: they are the bucket's), this returns a
 * {@link Outcome.Pinned} with the object key, and serve answers from the store as the bucket would.
 * The Worker's checks before that point (segment count, every segment's rules) apply to pinned
 * paths too.
 *
 * <p>No caching: the alias (value and metadata, where a canary rides) is read from KV on every
 * request ({@link #readAlias}, the one place an alias is read), so a move is seen at once. The
 * client's address for a canary split is the {@code CF-Connecting-IP} request header, as in the
 * Worker. Thread-safe when the KV is.
 */
public final class AliasResolver {
  static final String ALLOWED_METHODS = "GET, HEAD, OPTIONS";
  static final String MISS_CACHE_CONTROL = "public, max-age=30";
  static final String RECORDS_PREFIX = "_cdnpub";
  private static final int MAX_VERSION_LENGTH = 128;
  private static final int MAX_KEY_BYTES = 1024;
  private static final int MAX_SEGMENT_BYTES = 255;
  private static final BigInteger MAX_SAFE_INTEGER = BigInteger.valueOf((1L << 53) - 1);

  private static final Pattern LIBRARY = Pattern.compile("[a-z0-9][a-z0-9._-]{0,213}");
  private static final Pattern MAJOR_OR_MINOR =
      Pattern.compile("v(0|[1-9][0-9]{0,8})(?:\\.(0|[1-9][0-9]{0,8}))?");
  private static final Pattern PINNED = Pattern.compile("v[0-9]+\\.[0-9]+\\.[0-9]+");
  private static final Pattern TAG = Pattern.compile("[a-z][a-z0-9-]{0,63}");
  private static final Pattern VERSION =
      Pattern.compile(
          "(0|[1-9][0-9]{0,8})\\.(0|[1-9][0-9]{0,8})\\.(0|[1-9][0-9]{0,8})(?:-(?:0|[1-9][0-9]{0,17}|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9][0-9]{0,17}|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*))*)?");

  /** The Worker's CORS headers, on every answer. */
  static final Map<String, String> CORS =
      orderedMap(
          "Access-Control-Allow-Origin", "*",
          "Access-Control-Expose-Headers", "Location",
          "Timing-Allow-Origin", "*");

  /** What {@link #resolve} decided: an answer to send, or a pinned file to fetch from the store. */
  public sealed interface Outcome {
    record Answer(HttpResponse response) implements Outcome {}

    /**
     * A pinned URL: {@code key} is the object key (every segment decoded; its first segment a
     * {@code v{major}.{minor}.{patch}…} version, so never a record under {@code _cdnpub/}).
     */
    record Pinned(String key) implements Outcome {}
  }

  private final AliasKv kv;
  private final Map<String, String> vars;
  private final Map<String, String> defaults;

  /**
   * @param vars the TTL variables as the Worker gets them (strings), as {@link ResolverScript#vars}
   *     makes them: the user's values over the script's defaults
   */
  public AliasResolver(AliasKv kv, Map<String, String> vars) {
    this.kv = kv;
    this.vars = Map.copyOf(vars);
    this.defaults = ResolverScript.vars(Map.of());
  }

  /**
   * The Worker's answer to a request.
   *
   * @param url the request URL as the Worker sees it (see {@link RequestUrl})
   * @param header a request header by name (any case), or null
   */
  public Outcome resolve(String method, String url, Function<String, String> header) {
    if (method.equals("OPTIONS")) {
      String requested = header.apply("Access-Control-Request-Headers");
      Map<String, String> headers = new LinkedHashMap<>(CORS);
      headers.put("Access-Control-Allow-Methods", ALLOWED_METHODS);
      headers.put(
          "Access-Control-Allow-Headers",
          requested == null || requested.isEmpty() ? "*" : requested);
      headers.put("Access-Control-Max-Age", "86400");
      headers.put("Vary", "Access-Control-Request-Headers");
      return answer(new HttpResponse(204, headers, new byte[0]));
    }
    if (!method.equals("GET") && !method.equals("HEAD")) {
      return answer(text(405, "method not allowed: " + method, Map.of("Allow", ALLOWED_METHODS)));
    }

    // The raw URL text, as the Worker slices it: the redirect carries path and query as sent.
    int pathStart = url.indexOf('/', url.indexOf("//") + 2);
    String origin = url.substring(0, pathStart);
    int queryStart = url.indexOf('?', pathStart);
    String rawPath =
        queryStart < 0 ? url.substring(pathStart) : url.substring(pathStart, queryStart);
    String rawQuery = queryStart < 0 ? "" : url.substring(queryStart);

    String[] segments = rawPath.substring(1).split("/", -1);
    // cdnpub's records under _cdnpub/: 404 as if absent, never cached, as the Worker answers the
    // route {host}/_cdnpub/* (decoded, so /%5Fcdnpub/ too).
    String first = decode(segments[0]);
    if (RECORDS_PREFIX.equals(first == null ? segments[0] : first)) {
      return answer(text(404, "not found"));
    }
    if (segments.length < 3 || (segments.length == 3 && segments[2].isEmpty())) {
      return answer(text(400, "bad path: expected /{alias}/{library}/{file}"));
    }
    String problem = unsafeSegment(segments);
    if (problem != null) {
      return answer(text(400, "bad path: " + problem));
    }

    String alias = segments[0];
    String library = segments[1];
    if (PINNED.matcher(alias).lookingAt()) {
      String key = String.join("/", Arrays.stream(segments).map(AliasResolver::decode).toList());
      if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
        return answer(text(400, "bad path: name too long"));
      }
      return new Outcome.Pinned(key);
    }
    Boolean isShort = aliasIsShortLived(alias);
    if (isShort == null) {
      return answer(text(400, "bad alias: " + alias));
    }
    if (!LIBRARY.matcher(library).matches()) {
      return answer(text(400, "bad library name: " + library));
    }
    String key = library + "/" + alias;

    Alias stored;
    try {
      stored = readAlias(key);
    } catch (RuntimeException e) {
      return answer(text(503, "alias store unavailable: " + key));
    }
    if (stored == null) {
      return answer(
          text(404, "no such alias: " + key, Map.of("Cache-Control", MISS_CACHE_CONTROL)));
    }
    if (!isVersion(stored.value())) {
      return answer(text(502, "alias " + key + " does not hold a version"));
    }
    // Metadata that is not a well-formed canary is ignored: everyone gets the stable value, as a
    // Worker that never reads metadata would send them, instead of an outage over an annotation.
    Canary canary = canaryOf(stored.metadata());
    String version = stored.value();
    if (canary != null) {
      String ip = header.apply("CF-Connecting-IP");
      // A client without an address cannot be kept on one side, so it stays on the stable one.
      if (ip != null && !ip.isEmpty() && bucketOf(ip, key) < canary.percent()) {
        version = canary.version();
      }
    }

    // A canary alias is about to move again (ramp, promote or end), so it gets the short browser
    // TTL, and "private": its answer depends on the client, so no shared cache may hand it on.
    long browser = ttl(isShort || canary != null ? "ALIAS_SHORT_BROWSER_TTL" : "ALIAS_BROWSER_TTL");
    List<String> rest = Arrays.asList(segments).subList(2, segments.length);
    String file = String.join("/", rest);
    String target =
        "v"
            + version
            + "/"
            + library
            + "/"
            + String.join("/", rest.stream().map(AliasResolver::decode).toList());
    if (target.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
      return answer(text(400, "bad path: name too long"));
    }
    Map<String, String> headers = new LinkedHashMap<>(CORS);
    headers.put("Location", origin + "/v" + version + "/" + library + "/" + file + rawQuery);
    headers.put("Cache-Control", (canary != null ? "private" : "public") + ", max-age=" + browser);
    return answer(new HttpResponse(302, headers, new byte[0]));
  }

  /** What KV holds for an alias key: the stable version, and the key's metadata or null. */
  private record Alias(String value, JsonNode metadata) {}

  /** A well-formed canary from the metadata: a version, and a whole percent from 1 to 99. */
  private record Canary(String version, int percent) {}

  /**
   * What KV holds for {@code {library}/{alias}}, read now (never cached), or null when the key does
   * not exist; a failure to read is thrown and becomes a 503. The value is read before the metadata
   * (see {@link AliasKv#metadata}). Metadata that is not JSON counts as none.
   */
  private Alias readAlias(String key) {
    Optional<String> value = kv.get(key);
    if (value.isEmpty()) {
      return null;
    }
    JsonNode metadata = null;
    Optional<String> text = kv.metadata(key);
    if (text.isPresent()) {
      try {
        metadata = Jackson.MAPPER.readTree(text.get());
      } catch (JsonProcessingException e) {
        metadata = null;
      }
    }
    return new Alias(value.get(), metadata);
  }

  private static boolean isVersion(String value) {
    return value != null
        && value.length() <= MAX_VERSION_LENGTH
        && VERSION.matcher(value).matches();
  }

  // The canary cdnpub writes: {"canary": {"version": "1.2.4", "percent": 25}}, percent a whole
  // number from 1 to 99 (as JavaScript's Number.isInteger sees it: 25.0 is whole). Anything else
  // (no metadata, no canary, a malformed one) is no canary.
  private static Canary canaryOf(JsonNode metadata) {
    JsonNode canary = metadata != null && metadata.isObject() ? metadata.get("canary") : null;
    if (canary == null || !canary.isObject()) {
      return null;
    }
    JsonNode version = canary.get("version");
    JsonNode percent = canary.get("percent");
    if (version == null
        || !version.isTextual()
        || !isVersion(version.textValue())
        || percent == null
        || !percent.isNumber()
        || percent.doubleValue() != Math.rint(percent.doubleValue())
        || percent.doubleValue() < 1
        || percent.doubleValue() > 99) {
      return null;
    }
    return new Canary(version.textValue(), (int) percent.doubleValue());
  }

  // A client's side of a canary: the first 4 bytes of SHA-256("{ip}\n{library}/{alias}") as an
  // unsigned big-endian number, mod 100; the client gets the canary when that is below the percent.
  static long bucketOf(String ip, String key) {
    byte[] digest =
        Digests.digest("SHA-256").digest((ip + "\n" + key).getBytes(StandardCharsets.UTF_8));
    return (ByteBuffer.wrap(digest, 0, 4).getInt() & 0xFFFFFFFFL) % 100;
  }

  // The runtime normally resolves "." and ".." before the script sees the URL, but not encoded
  // slashes, so check what each segment means once decoded.
  static String unsafeSegment(String[] segments) {
    for (String segment : segments) {
      if (segment.isEmpty()) {
        return "empty segment";
      }
      String decoded = decode(segment);
      if (decoded == null) {
        return "invalid percent-encoding";
      }
      if (decoded.equals(".") || decoded.equals("..")) {
        return "dot segment";
      }
      if (decoded.contains("/") || decoded.contains("\\")) {
        return "slash or backslash inside a segment";
      }
      String problem = nameProblem(decoded);
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  static String nameProblem(String segment) {
    if (segment.getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
      return "segment longer than 255 bytes";
    }
    if (segment.startsWith(" ") || segment.endsWith(" ")) {
      return "segment starts or ends with a space";
    }
    for (int i = 0; i < segment.length(); ) {
      int c = segment.codePointAt(i);
      if (c == '?' || c == '#' || c == '%') {
        return "'" + (char) c + "' in a name";
      }
      int type = Character.getType(c);
      if (c == '\\'
          || c == 0xFFFD
          || type == Character.CONTROL
          || type == Character.FORMAT
          || type == Character.UNASSIGNED) {
        return "character U+" + String.format(Locale.ROOT, "%04X", c) + " in a name";
      }
      i += Character.charCount(c);
    }
    if (!Normalizer.isNormalized(segment, Normalizer.Form.NFC)) {
      return "name not in Unicode NFC form";
    }
    return null;
  }

  /**
   * JavaScript's {@code decodeURIComponent}: escapes decoded as UTF-8 (strictly: an overlong form,
   * a surrogate or a cut sequence fails), everything else kept, {@code +} included; null when it
   * would throw.
   */
  static String decode(String text) {
    if (text.indexOf('%') < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c != '%') {
        out.append(c);
        i++;
        continue;
      }
      ByteBuffer bytes = ByteBuffer.allocate(text.length());
      while (i < text.length() && text.charAt(i) == '%') {
        if (i + 2 >= text.length()) {
          return null;
        }
        int hi = Character.digit(text.charAt(i + 1), 16);
        int lo = Character.digit(text.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return null;
        }
        bytes.put((byte) (hi * 16 + lo));
        i += 3;
      }
      bytes.flip();
      try {
        out.append(
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(bytes));
      } catch (CharacterCodingException e) {
        return null;
      }
    }
    return out.toString();
  }

  // true: moves often (v0.x, named tags), short TTLs; false: a stable line; null: not an alias.
  private static Boolean aliasIsShortLived(String alias) {
    if (alias.equals("latest")) {
      return false;
    }
    var versioned = MAJOR_OR_MINOR.matcher(alias);
    if (versioned.matches()) {
      return versioned.group(1).equals("0");
    }
    // "v01" or "v1-x" would be read as a tag yet look like a version line: refuse the ambiguity.
    if (alias.matches("v[0-9].*")) {
      return null;
    }
    return TAG.matcher(alias).matches() ? Boolean.TRUE : null;
  }

  // Vars are strings; one that is not a whole number of seconds means the default, as in the
  // Worker.
  private long ttl(String name) {
    String raw = vars.getOrDefault(name, "");
    if (raw.matches("[0-9]+") && new BigInteger(raw).compareTo(MAX_SAFE_INTEGER) <= 0) {
      return Long.parseLong(raw);
    }
    return Long.parseLong(defaults.get(name));
  }

  /**
   * A one-line plain-text answer with the Worker's CORS and {@code no-store}, then {@code extra}.
   */
  static HttpResponse text(int status, String line, Map<String, String> extra) {
    Map<String, String> headers = new LinkedHashMap<>(CORS);
    headers.put("Content-Type", "text/plain; charset=utf-8");
    headers.put("Cache-Control", "no-store");
    headers.putAll(extra);
    return new HttpResponse(status, headers, (line + "\n").getBytes(StandardCharsets.UTF_8));
  }

  static HttpResponse text(int status, String line) {
    return text(status, line, Map.of());
  }

  private static Outcome answer(HttpResponse response) {
    return new Outcome.Answer(response);
  }

  private static Map<String, String> orderedMap(String... pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return java.util.Collections.unmodifiableMap(map);
  }
}

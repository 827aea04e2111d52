package dev.cdnpub.serve;

import dev.cdnpub.core.KeyRules;
import dev.cdnpub.store.Digests;
import dev.cdnpub.store.ObjectInfo;
import dev.cdnpub.store.ObjectStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Pinned URLs ({@code /v1.2.3/{library}/{path}}) answered from the store as R2 answers them through
 * a public bucket whose CORS policy allows GET and HEAD from any origin: 200 with the object's
 * stored {@code Content-Type} and {@code Cache-Control}, an {@code ETag}, {@code 304} for a
 * matching {@code If-None-Match}, and {@code Access-Control-Allow-Origin: *}. Whatever the store
 * holds under the key is served, as the bucket would, including the files of a version that is
 * claimed but not sealed yet, or yanked.
 *
 * <p>The ETag is the quoted hex MD5 of the body: what R2 gives an object uploaded in one part (a
 * multipart upload gets another form there; both are opaque to browsers). Thread-safe when the
 * store is.
 */
public final class BucketFiles {
  private final ObjectStore store;

  public BucketFiles(ObjectStore store) {
    this.store = store;
  }

  /**
   * The answer for {@code key} (a key from {@link AliasResolver.Outcome.Pinned}) to a GET or HEAD;
   * the caller drops the body of a HEAD.
   */
  public HttpResponse get(String key, Function<String, String> header) {
    // A guard, as every store has one: the resolver's segment rules are a port of the publisher's
    // rule for stored names, so this refuses only a name the two would ever disagree on.
    String problem = KeyRules.problem(key);
    if (problem != null) {
      return AliasResolver.text(400, "bad path: the name " + problem);
    }
    Optional<ObjectInfo> info;
    Optional<byte[]> body;
    try {
      info = store.stat(key);
      body = info.isPresent() ? store.read(key) : Optional.empty();
    } catch (RuntimeException e) {
      return AliasResolver.text(503, "store unavailable: " + key);
    }
    if (info.isEmpty() || body.isEmpty()) {
      return AliasResolver.text(404, "no such file: " + key);
    }
    String etag = "\"" + Digests.md5Hex(body.get()) + "\"";
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Access-Control-Allow-Origin", "*");
    headers.put("ETag", etag);
    if (info.get().cacheControl() != null) {
      headers.put("Cache-Control", info.get().cacheControl());
    }
    if (matches(header.apply("If-None-Match"), etag)) {
      return new HttpResponse(304, headers, new byte[0]);
    }
    headers.put(
        "Content-Type",
        info.get().contentType() == null ? "application/octet-stream" : info.get().contentType());
    return new HttpResponse(200, headers, body.get());
  }

  /** Whether an If-None-Match header names {@code etag} (weak comparison, as RFC 9110 says). */
  static boolean matches(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null) {
      return false;
    }
    for (String candidate : ifNoneMatch.split(",")) {
      String tag = candidate.strip();
      if (tag.equals("*") || tag.replaceFirst("^W/", "").equals(etag)) {
        return true;
      }
    }
    return false;
  }
}

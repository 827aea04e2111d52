package dev.cdnpub.serve;

import dev.cdnpub.core.KeyRules;
import dev.cdnpub.store.Digests;
import dev.cdnpub.store.ObjectInfo;
import dev.cdnpub.store.ObjectStore;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
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
 * <p>The body is streamed from the store ({@link ObjectStore#readStream}) while it is sent, so a
 * file of any size is served in constant memory. The ETag comes from what the store says about the
 * object, without reading it: R2's own ETag when the store has one (so serve answers as the bucket
 * does), else the quoted hex SHA-256 the publisher stored with it, else (an object stored without
 * one) the SHA-256 of its body, read as a stream. All are opaque to browsers. Thread-safe when the
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
    String etag;
    try {
      info = store.stat(key);
      etag = info.isPresent() ? etag(key, info.get()) : null;
    } catch (RuntimeException e) {
      return AliasResolver.text(503, "store unavailable: " + key);
    }
    if (info.isEmpty() || etag == null) {
      return AliasResolver.text(404, "no such file: " + key);
    }
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
    long size = info.get().size();
    return new HttpResponse(200, headers, new byte[0], new StoredBody(key, size));
  }

  /** The quoted ETag of a stored object, or null when it is gone. */
  private String etag(String key, ObjectInfo info) {
    if (info.eTag() != null) {
      return info.eTag().startsWith("\"") ? info.eTag() : "\"" + info.eTag() + "\"";
    }
    String sha256 = info.userMetadata().get("sha256");
    if (sha256 != null && sha256.matches("[0-9a-f]{64}")) {
      return "\"" + sha256 + "\"";
    }
    return store
        .readStream(
            key,
            (stored, in) -> {
              MessageDigest digest = Digests.digest("SHA-256");
              byte[] buffer = new byte[64 * 1024];
              int n;
              while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
              }
              return "\"" + HexFormat.of().formatHex(digest.digest()) + "\"";
            })
        .orElse(null);
  }

  /** An object's body, read from the store as it is sent; objects never change once stored. */
  private final class StoredBody implements HttpResponse.Streamed {
    private final String key;
    private final long size;

    StoredBody(String key, long size) {
      this.key = key;
      this.size = size;
    }

    @Override
    public long length() {
      return size;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
      Optional<Long> sent = store.readStream(key, (stored, in) -> in.transferTo(out));
      if (sent.isEmpty() || sent.get() != size) {
        throw new IOException(key + " changed while it was sent");
      }
    }
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

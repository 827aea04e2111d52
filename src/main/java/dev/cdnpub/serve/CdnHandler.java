package dev.cdnpub.serve;

/**
 * What the CDN answers on one host, put together as production does it: alias URLs by the resolver
 * ({@link AliasResolver}), pinned URLs by the bucket ({@link BucketFiles}). The URL the resolver
 * sees is the request target parsed as workerd parses it ({@link RequestUrl}), on the origin named
 * by the {@code Host} header ({@code http://}: serve speaks plain HTTP).
 */
public final class CdnHandler implements HttpListener.Handler {
  private final AliasResolver resolver;
  private final BucketFiles bucket;

  public CdnHandler(AliasResolver resolver, BucketFiles bucket) {
    this.resolver = resolver;
    this.bucket = bucket;
  }

  @Override
  public HttpResponse handle(HttpRequest request) {
    String host = request.header("Host");
    // HTTP/1.0 may omit Host: then the address the client connected to.
    String origin = RequestUrl.origin(host == null ? request.localAddress() : host);
    if (origin == null) {
      return malformed("the Host header is not a host name with an optional port");
    }
    String url = RequestUrl.of(origin, request.target());
    if (url == null) {
      return malformed("the request target is not a path");
    }
    try {
      AliasResolver.Outcome outcome = resolver.resolve(request.method(), url, request::header);
      if (outcome instanceof AliasResolver.Outcome.Pinned pinned) {
        return bucket.get(pinned.key(), request::header);
      }
      return ((AliasResolver.Outcome.Answer) outcome).response();
    } catch (RuntimeException e) {
      // A bug must cost one answer, not the server; the message stays out (it may name a path).
      return AliasResolver.text(500, "internal error");
    }
  }

  @Override
  public HttpResponse malformed(String why) {
    return AliasResolver.text(400, "bad request: " + why);
  }
}

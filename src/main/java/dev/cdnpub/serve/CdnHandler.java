package dev.cdnpub.serve;

import java.nio.charset.StandardCharsets;

/**
 * What the CDN answers on one host, put together as production does it: alias URLs by the resolver
 * ({@link AliasResolver}), pinned URLs by the bucket ({@link BucketFiles}). The URL the resolver
 * sees is the request target parsed as workerd parses it ({@link RequestUrl}), on the origin named
 * by the {@code Host} header ({@code http://}: serve speaks plain HTTP).
 */
public final class CdnHandler implements HttpListener.Handler {
  private final AliasResolver resolver;
  private final BucketFiles bucket;
  private final RequestLog log;

  public CdnHandler(AliasResolver resolver, BucketFiles bucket, RequestLog log) {
    this.resolver = resolver;
    this.bucket = bucket;
    this.log = log;
  }

  @Override
  public HttpResponse handle(HttpRequest request) {
    HttpResponse response = answer(request);
    try {
      String target =
          new String(request.target().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8)
              .replaceAll("\\p{Cntrl}", "?");
      log.answered(request.method(), target, response.status(), response.header("Location"));
    } catch (RuntimeException e) {
      // a log that fails must not cost the answer
    }
    return response;
  }

  private HttpResponse answer(HttpRequest request) {
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
  public void trouble(String line) {
    log.trouble(line);
  }

  @Override
  public HttpResponse malformed(String why) {
    return AliasResolver.text(400, "bad request: " + why);
  }
}

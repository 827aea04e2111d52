package dev.cdnpub.verify;

import dev.cdnpub.store.ObjectStore;

/**
 * The CDN as a browser sees it: anonymous GETs of paths below its public base URL (a custom domain
 * on R2 with the resolver Worker, or {@code cdnpub serve} for the local store).
 *
 * <p>Contract: redirects are never followed (a redirect is an answer to check, not to obey); a 5xx
 * answer or a network failure is a {@link dev.cdnpub.core.CdnpubException} with exit 5, any other
 * status is returned; safe to call from several threads at once.
 */
public interface PublicSite extends AutoCloseable {

  /**
   * @param url the absolute URL that was asked for
   * @param location a redirect's target, resolved against {@code url}; null when none
   * @param body what the reader returned for a 200 answer; null for any other status
   */
  record Answer<T>(String url, int status, String location, T body) {}

  /** The absolute URL of {@code path} (slash-separated, not encoded) below the base URL. */
  String url(String path);

  /**
   * GETs {@code path}; a 200 answer's body and headers (size from Content-Length, -1 when not sent)
   * are streamed to {@code reader}, which runs on the calling thread.
   */
  <T> Answer<T> get(String path, ObjectStore.StreamReader<T> reader);

  @Override
  void close();
}

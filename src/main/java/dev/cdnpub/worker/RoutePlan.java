package dev.cdnpub.worker;

import java.util.List;
import java.util.TreeSet;

/**
 * Route patterns for the resolver: one {@code {host}/{alias}/*} per alias in use. Cloudflare's
 * {@code *} matches any rest of the path, so {@code cdn.example.com/v1/*} matches {@code /v1/…} but
 * never {@code /v1.2.3/…}: pinned URLs go straight to the bucket, never through the Worker. (A
 * single {@code /v*} route would send them to the Worker too.)
 */
public final class RoutePlan {
  private RoutePlan() {}

  /**
   * The route that sends {@code {host}/_cdnpub/…} to the Worker, which answers it 404: the public
   * bucket also holds cdnpub's records there (claims, manifests, alias logs with actor names, yank
   * reasons), and the CDN host must not serve them.
   */
  public static String recordsPattern(String cdnHost) {
    return cdnHost + "/_cdnpub/*";
  }

  /** Whether {@code pattern} is the records route of some host, not an alias route. */
  public static boolean isRecordsPattern(String pattern) {
    return pattern.endsWith("/_cdnpub/*");
  }

  public static List<String> patterns(String cdnHost, Iterable<String> aliases) {
    TreeSet<String> patterns = new TreeSet<>();
    for (String alias : aliases) {
      patterns.add(cdnHost + "/" + alias + "/*");
    }
    return List.copyOf(patterns);
  }

  /**
   * Cloudflare's route matching for a pattern without a leading host wildcard: prefix up to '*'.
   */
  public static boolean matches(String pattern, String hostAndPath) {
    return pattern.endsWith("*")
        ? hostAndPath.startsWith(pattern.substring(0, pattern.length() - 1))
        : hostAndPath.equals(pattern);
  }
}

package dev.cdnpub.publish;

import java.util.List;

/**
 * Everything a publish will do, computed before anything is written. {@code digest} identifies the
 * file set (paths and contents): two publishes of one version are the same release exactly when
 * their digests are equal.
 */
public record PublishPlan(
    String library,
    ReleaseVersion version,
    List<PlannedFile> files,
    long totalBytes,
    String digest,
    String prefix,
    String claimKey,
    String manifestKey) {

  public PublishPlan {
    files = List.copyOf(files);
  }

  public static final String CACHE_CONTROL = "public, max-age=31536000, immutable";
}

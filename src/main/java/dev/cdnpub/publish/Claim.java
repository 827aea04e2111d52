package dev.cdnpub.publish;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The reservation of a version, written create-only before any file: whoever creates it owns the
 * version's prefix, and only a publish of the same file set ({@code digest}) may write there.
 * {@code run} is null in claims written before runs had ids.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Claim(
    int schema,
    String library,
    String version,
    String digest,
    int files,
    long totalBytes,
    String claimedAt,
    String run) {

  /**
   * {@code run}: the id of the publish run that wrote it, so that run knows its own claim again.
   */
  public static Claim of(PublishPlan plan, String claimedAt, String run) {
    return new Claim(
        1,
        plan.library(),
        plan.version().toString(),
        plan.digest(),
        plan.files().size(),
        plan.totalBytes(),
        claimedAt,
        run);
  }
}

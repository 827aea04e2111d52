package dev.cdnpub.publish;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The reservation of a version, written create-only before any file: whoever creates it owns the
 * version's prefix, and only a publish of the same file set ({@code digest}) may write there.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Claim(int schema, String library, String version, String digest, int files, long totalBytes, String claimedAt) {

  public static Claim of(PublishPlan plan, String claimedAt) {
    return new Claim(
        1, plan.library(), plan.version().toString(), plan.digest(), plan.files().size(), plan.totalBytes(), claimedAt);
  }
}

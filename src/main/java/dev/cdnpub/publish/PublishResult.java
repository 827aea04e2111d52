package dev.cdnpub.publish;

/**
 * What a publish did. {@code uploaded + alreadyPresent} equals the plan's file count on success.
 * {@code firstRun}: this run created the claim, so no earlier run of this release got as far as
 * moving aliases.
 */
public record PublishResult(
    Status status, PublishPlan plan, int uploaded, int alreadyPresent, long bytesUploaded, boolean firstRun) {

  public enum Status {
    /** This run sealed the version (possibly finishing an earlier, interrupted run). */
    PUBLISHED,
    /** The version was sealed before with the same content; nothing was written. */
    ALREADY_PUBLISHED
  }
}

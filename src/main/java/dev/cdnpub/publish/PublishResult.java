package dev.cdnpub.publish;

/** What a publish did. {@code uploaded + alreadyPresent} equals the plan's file count on success. */
public record PublishResult(
    Status status, PublishPlan plan, int uploaded, int alreadyPresent, long bytesUploaded) {

  public enum Status {
    /** This run sealed the version (possibly finishing an earlier, interrupted run). */
    PUBLISHED,
    /** The version was sealed before with the same content; nothing was written. */
    ALREADY_PUBLISHED
  }
}

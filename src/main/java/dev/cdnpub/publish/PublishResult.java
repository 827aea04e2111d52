package dev.cdnpub.publish;

/**
 * What a publish did. {@code uploaded + alreadyPresent} equals the plan's file count on success.
 * {@code uploaded} counts every file this run stored, {@code confirmedAfterLostAnswer} those of
 * them whose answer was lost on the way back (the store kept the object, a retry found it there
 * carrying this run's id); {@code alreadyPresent} counts files an earlier run had stored. {@code
 * firstRun}: this run created the claim, so no earlier run of this release got as far as moving
 * aliases. {@code abortedUploads}: multipart uploads an interrupted earlier run had left open.
 */
public record PublishResult(
    Status status,
    PublishPlan plan,
    int uploaded,
    int confirmedAfterLostAnswer,
    int alreadyPresent,
    long bytesUploaded,
    boolean firstRun,
    int abortedUploads) {

  public enum Status {
    /** This run sealed the version (possibly finishing an earlier, interrupted run). */
    PUBLISHED,
    /** The version was sealed before with the same content; nothing was written. */
    ALREADY_PUBLISHED
  }
}

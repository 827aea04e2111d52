package dev.cdnpub.store;

/**
 * What {@link ObjectStore#abortInterruptedUploads} discarded, in the store's own terms.
 *
 * @param count how many uploads or temporary files were discarded
 * @param summary one phrase for the user saying what was discarded ("aborted 2 multipart uploads
 *     left open by an interrupted run"); null when nothing was
 */
public record Discarded(int count, String summary) {
  public static final Discarded NOTHING = new Discarded(0, null);

  /** Multipart uploads aborted on S3/R2. */
  static Discarded multipartUploads(int count) {
    return count == 0
        ? NOTHING
        : new Discarded(
            count,
            "aborted "
                + count
                + " multipart upload"
                + (count == 1 ? "" : "s")
                + " left open by an interrupted run");
  }

  /**
   * Staged temporary files of the local store removed: those of every dead process, whatever it
   * wrote.
   */
  static Discarded temporaryFiles(int count) {
    return count == 0
        ? NOTHING
        : new Discarded(
            count,
            "removed "
                + count
                + " temporary file"
                + (count == 1 ? "" : "s")
                + " left by interrupted runs");
  }
}

package dev.cdnpub.publish;

/**
 * Progress of a publish. Called from the publishing thread for phases and from upload worker
 * threads for files, so implementations must be thread-safe. They should not throw: the Publisher
 * ignores what any of them throws rather than let it break a half-done publish.
 */
public interface PublishListener {
  /** A phase begins: "claim", "upload", "seal". */
  default void phase(String name, String detail) {}

  /**
   * One file is stored by this run ({@code created}; also when its answer was lost and a retry
   * confirmed it), or was found stored by an earlier run of this release.
   */
  default void fileDone(PlannedFile file, boolean created) {}

  PublishListener NONE = new PublishListener() {};
}

package dev.cdnpub.store;

import dev.cdnpub.core.CdnpubException;
import dev.cdnpub.core.ExitCode;
import java.util.Optional;

/** Reading an object that another writer is known to be creating. */
public final class Reads {
  /** Waits between attempts, in milliseconds: about 3 s in all. */
  private static final long[] BACKOFF_MILLIS = {50, 100, 200, 400, 800, 1500};

  private Reads() {}

  /**
   * Reads {@code key}, which a create-only write just found taken. On S3, a conditional write can
   * be refused (409) while the winner's upload is still in progress and not yet readable, so a
   * missing object is read again for a few seconds before giving up with an empty result.
   */
  public static Optional<byte[]> eventually(ObjectStore store, String key) {
    for (int attempt = 0; ; attempt++) {
      Optional<byte[]> bytes = store.read(key);
      if (bytes.isPresent() || attempt >= BACKOFF_MILLIS.length) {
        return bytes;
      }
      try {
        Thread.sleep(BACKOFF_MILLIS[attempt]);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CdnpubException(ExitCode.INTERNAL, "interrupted while reading " + key, e);
      }
    }
  }
}

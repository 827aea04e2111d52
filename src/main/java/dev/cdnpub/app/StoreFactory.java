package dev.cdnpub.app;

import dev.cdnpub.config.Credentials;
import dev.cdnpub.config.R2Settings;
import dev.cdnpub.config.Settings;
import dev.cdnpub.store.LocalObjectStore;
import dev.cdnpub.store.ObjectStore;
import dev.cdnpub.store.S3ClientLimits;
import dev.cdnpub.store.S3ObjectStore;
import java.util.function.Consumer;

/** Opens the object store the settings name. Passed in, so tests can open stores of their own. */
@FunctionalInterface
public interface StoreFactory {
  /**
   * @param notices receives a line before each long wait between retries (R2)
   */
  ObjectStore open(Settings settings, long multipartThreshold, Consumer<String> notices);

  /** cdnpub's stores, with {@link S3ClientLimits#DEFAULT} timeouts and retries for R2. */
  StoreFactory DEFAULT = withLimits(S3ClientLimits.DEFAULT);

  /** As {@link #DEFAULT}, with other timeouts and retries for R2 (tests shorten them). */
  static StoreFactory withLimits(S3ClientLimits limits) {
    return (settings, threshold, notices) ->
        switch (settings.target()) {
          case LOCAL -> new LocalObjectStore(settings.localDir());
          case R2 -> {
            settings.requireR2Access();
            R2Settings r2 = settings.r2();
            Credentials credentials = settings.r2Credentials();
            yield S3ObjectStore.forBucket(
                r2.endpoint(),
                r2.bucket(),
                credentials.accessKeyId(),
                credentials.secretAccessKey(),
                limits,
                threshold,
                notices);
          }
        };
  }
}

package dev.cdnpub.testing;

import dev.cdnpub.core.CdnpubException;
import dev.cdnpub.core.ExitCode;
import dev.cdnpub.store.Body;
import dev.cdnpub.store.CreateResult;
import dev.cdnpub.store.ObjectMetadata;
import dev.cdnpub.store.ObjectStore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real store that dies after {@code allowedCreates} successful creates: every later write fails
 * as a lost connection would. Models a publish killed at any point between two writes.
 */
public final class InterruptingStore extends ForwardingStore {
  private final AtomicInteger remaining;

  public InterruptingStore(ObjectStore delegate, int allowedCreates) {
    super(delegate);
    this.remaining = new AtomicInteger(allowedCreates);
  }

  @Override
  public CreateResult createIfAbsent(String key, Body body, ObjectMetadata metadata) {
    if (remaining.getAndDecrement() <= 0) {
      throw new CdnpubException(
          ExitCode.REMOTE, "connection lost (injected) before writing " + key);
    }
    return super.createIfAbsent(key, body, metadata);
  }
}

package dev.cdnpub.testing;

import dev.cdnpub.core.CdnpubException;
import dev.cdnpub.core.ExitCode;
import dev.cdnpub.store.Body;
import dev.cdnpub.store.CreateResult;
import dev.cdnpub.store.ObjectInfo;
import dev.cdnpub.store.ObjectMetadata;
import dev.cdnpub.store.ObjectStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real store that dies after {@code allowedCreates} successful creates: every later write fails
 * as a lost connection would. Models a publish killed at any point between two writes.
 */
public final class InterruptingStore implements ObjectStore {
  private final ObjectStore delegate;
  private final AtomicInteger remaining;

  public InterruptingStore(ObjectStore delegate, int allowedCreates) {
    this.delegate = delegate;
    this.remaining = new AtomicInteger(allowedCreates);
  }

  @Override
  public CreateResult createIfAbsent(String key, Body body, ObjectMetadata metadata) {
    if (remaining.getAndDecrement() <= 0) {
      throw new CdnpubException(ExitCode.REMOTE, "connection lost (injected) before writing " + key);
    }
    return delegate.createIfAbsent(key, body, metadata);
  }

  @Override
  public Optional<byte[]> read(String key) {
    return delegate.read(key);
  }

  @Override
  public Optional<ObjectInfo> stat(String key) {
    return delegate.stat(key);
  }

  @Override
  public List<String> list(String prefix) {
    return delegate.list(prefix);
  }

  @Override
  public String describe() {
    return delegate.describe();
  }

  @Override
  public void close() {}
}

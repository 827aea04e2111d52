package dev.cdnpub.testing;

import dev.cdnpub.store.Body;
import dev.cdnpub.store.CreateResult;
import dev.cdnpub.store.Discarded;
import dev.cdnpub.store.ObjectInfo;
import dev.cdnpub.store.ObjectMetadata;
import dev.cdnpub.store.ObjectStore;
import java.util.List;
import java.util.Optional;

/** A real store seen through a decorator that tests override to observe or interrupt calls. */
public class ForwardingStore implements ObjectStore {
  private final ObjectStore delegate;

  public ForwardingStore(ObjectStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public CreateResult createIfAbsent(String key, Body body, ObjectMetadata metadata) {
    return delegate.createIfAbsent(key, body, metadata);
  }

  @Override
  public java.util.OptionalLong roundTripMillis() {
    return delegate.roundTripMillis();
  }

  @Override
  public boolean connectsOverTls() {
    return delegate.connectsOverTls();
  }

  @Override
  public Optional<byte[]> read(String key) {
    return delegate.read(key);
  }

  @Override
  public <T> Optional<T> readStream(String key, StreamReader<T> reader) {
    return delegate.readStream(key, reader);
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
  public Discarded abortInterruptedUploads(String prefix) {
    return delegate.abortInterruptedUploads(prefix);
  }

  @Override
  public String describe() {
    return delegate.describe();
  }

  @Override
  public void close() {}
}

package dev.cdnpub.bench;

import dev.cdnpub.store.Body;
import dev.cdnpub.store.CreateResult;
import dev.cdnpub.store.Discarded;
import dev.cdnpub.store.ObjectInfo;
import dev.cdnpub.store.ObjectMetadata;
import dev.cdnpub.store.ObjectStore;
import dev.cdnpub.testing.ForwardingStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the calls a publish makes on its {@link ObjectStore}: the store-level cost model. On R2
 * each small create is one PutObject (Class A), each read one GetObject and each stat one
 * HeadObject (Class B); a list is one ListObjectsV2 (Class A) per 1000 keys. Multipart uploads cost
 * more HTTP requests than store calls; {@link HttpCounter} counts those. Thread-safe; does not
 * close the store (as no {@link ForwardingStore} does).
 */
final class CountingStore extends ForwardingStore {
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

  CountingStore(ObjectStore delegate) {
    super(delegate);
  }

  private void count(String what) {
    counts.computeIfAbsent(what, k -> new AtomicInteger()).incrementAndGet();
  }

  /**
   * The counts so far ("create", "create.exists", "read", "read.miss", "stat", "stat.miss",
   * "list"), then zero.
   */
  synchronized Map<String, Integer> snapshotAndReset() {
    Map<String, Integer> out = new TreeMap<>();
    for (String k :
        List.of("create", "create.exists", "read", "read.miss", "stat", "stat.miss", "list")) {
      out.put(k, 0);
    }
    counts.forEach((k, v) -> out.put(k, v.getAndSet(0)));
    return out;
  }

  @Override
  public CreateResult createIfAbsent(String key, Body body, ObjectMetadata metadata) {
    count("create");
    CreateResult result = super.createIfAbsent(key, body, metadata);
    if (result == CreateResult.ALREADY_EXISTS) {
      count("create.exists");
    }
    return result;
  }

  @Override
  public Optional<byte[]> read(String key) {
    count("read");
    Optional<byte[]> result = super.read(key);
    if (result.isEmpty()) {
      count("read.miss");
    }
    return result;
  }

  @Override
  public <T> Optional<T> readStream(String key, StreamReader<T> reader) {
    count("read");
    Optional<T> result = super.readStream(key, reader);
    if (result.isEmpty()) {
      count("read.miss");
    }
    return result;
  }

  @Override
  public Optional<ObjectInfo> stat(String key) {
    count("stat");
    Optional<ObjectInfo> result = super.stat(key);
    if (result.isEmpty()) {
      count("stat.miss");
    }
    return result;
  }

  @Override
  public List<String> list(String prefix) {
    count("list");
    return super.list(prefix);
  }

  @Override
  public Discarded abortInterruptedUploads(String prefix) {
    count("abort-interrupted");
    return super.abortInterruptedUploads(prefix);
  }
}

package dev.cdnpub.testing;

import dev.cdnpub.store.ObjectStore;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/** Every object of a store, key to content, for "nothing changed" assertions. */
public final class StoreSnapshot {
  private StoreSnapshot() {}

  public static Map<String, String> of(ObjectStore store) {
    Map<String, String> all = new TreeMap<>();
    for (String key : store.list("")) {
      all.put(
          key,
          Arrays.toString(store.read(key).orElseThrow()).hashCode()
              + ":"
              + store.read(key).orElseThrow().length);
    }
    return all;
  }
}

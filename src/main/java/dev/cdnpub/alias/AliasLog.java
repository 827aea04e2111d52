package dev.cdnpub.alias;

import dev.cdnpub.core.CdnpubException;
import dev.cdnpub.core.ExitCode;
import dev.cdnpub.core.Jackson;
import dev.cdnpub.core.Threads;
import dev.cdnpub.publish.Keys;
import dev.cdnpub.store.Body;
import dev.cdnpub.store.CreateResult;
import dev.cdnpub.store.ObjectMetadata;
import dev.cdnpub.store.ObjectStore;
import dev.cdnpub.store.Reads;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The source of truth for aliases: per alias, an append-only log of {@link AliasEntry} objects at
 * {@code _cdnpub/{library}/aliases/{alias}/{seq}.json}, each written create-only. Two writers that
 * pick the same next sequence number cannot both succeed, so no change is ever lost silently; the
 * loser re-reads and decides again. Entries are never deleted (far more than the last 50 are kept).
 */
public final class AliasLog {

  private final ObjectStore store;
  private final String library;

  public AliasLog(ObjectStore store, String library) {
    this.store = store;
    this.library = library;
  }

  public String library() {
    return library;
  }

  /**
   * Every change of the alias, oldest first. Entries are read several at a time: each is one
   * request, and a long-lived alias has hundreds.
   */
  public List<AliasEntry> history(String alias) {
    List<String> keys = entryKeys(alias);
    return Threads.inParallel(
        keys,
        keys.size() <= 2 ? 1 : READ_PARALLELISM,
        "cdnpub-alias-read",
        "reading the history of " + alias,
        this::read);
  }

  private static final int READ_PARALLELISM = 16;

  /** The newest change of the alias: its current value. */
  public Optional<AliasEntry> current(String alias) {
    List<String> keys = entryKeys(alias);
    return keys.isEmpty() ? Optional.empty() : Optional.of(read(keys.get(keys.size() - 1)));
  }

  /**
   * The sequence number of the alias's newest change, from one listing without reading it (entry
   * names are the zero-padded sequence number); 0 when the alias has none.
   */
  public long newestSeq(String alias) {
    List<String> keys = entryKeys(alias);
    if (keys.isEmpty()) {
      return 0;
    }
    String newest = keys.get(keys.size() - 1);
    return Long.parseLong(
        newest.substring(newest.lastIndexOf('/') + 1, newest.length() - ".json".length()));
  }

  /** The change of the alias at sequence number {@code seq}; empty when there is none. */
  public Optional<AliasEntry> entry(String alias, long seq) {
    if (seq < 1) {
      return Optional.empty();
    }
    String key = Keys.aliasEntry(library, alias, seq);
    return Reads.eventually(store, key).map(b -> parse(key, b));
  }

  /**
   * The entry keys of one alias in sequence order. Anything else under the prefix is ignored: some
   * S3-compatible stores (S3Proxy's filesystem backend) list a write in progress under a temporary
   * name beside its key.
   */
  private List<String> entryKeys(String alias) {
    return store.list(Keys.aliasPrefix(library) + alias + "/").stream()
        .filter(AliasLog::isEntryKey)
        .toList();
  }

  private static boolean isEntryKey(String key) {
    return ENTRY_NAME.matcher(key.substring(key.lastIndexOf('/') + 1)).matches();
  }

  private static final Pattern ENTRY_NAME = Pattern.compile("\\d{10}\\.json");

  /** The newest entry of every alias of the library, by alias name. */
  public Map<String, AliasEntry> all() {
    Map<String, String> newestKey = new TreeMap<>();
    String prefix = Keys.aliasPrefix(library);
    for (String key : store.list(prefix)) {
      String rest = key.substring(prefix.length());
      int slash = rest.indexOf('/');
      if (slash > 0 && isEntryKey(key)) {
        newestKey.merge(rest.substring(0, slash), key, (a, b) -> a.compareTo(b) >= 0 ? a : b);
      }
    }
    Map<String, AliasEntry> result = new TreeMap<>();
    newestKey.forEach((alias, key) -> result.put(alias, read(key)));
    return result;
  }

  /**
   * The alias names in use, by library, for every library in the store (one listing, no reads): the
   * resolver Worker serves all libraries on its host, so its routes must cover all of them.
   */
  public static SortedMap<String, SortedSet<String>> aliasNamesByLibrary(ObjectStore store) {
    SortedMap<String, SortedSet<String>> names = new TreeMap<>();
    for (String key : store.list(Keys.RECORDS)) {
      String[] parts = key.split("/");
      // _cdnpub/{library}/aliases/{alias}/{seq}.json
      if (parts.length == 5 && parts[2].equals("aliases") && isEntryKey(key)) {
        names.computeIfAbsent(parts[1], l -> new TreeSet<>()).add(parts[3]);
      }
    }
    return names;
  }

  /**
   * Appends {@code entry} at its sequence number; false when another writer took that number. A
   * write whose first attempt landed but whose answer was lost (the SDK then retries and meets its
   * own object) counts as appended, recognized by {@link AliasEntry#writer()}.
   */
  public boolean append(AliasEntry entry) {
    byte[] bytes;
    try {
      bytes = Jackson.PRETTY.writeValueAsBytes(entry);
    } catch (IOException e) {
      throw new CdnpubException(
          ExitCode.INTERNAL, "cannot write alias entry: " + e.getMessage(), e);
    }
    String key = Keys.aliasEntry(library, entry.alias(), entry.seq());
    if (store.createIfAbsent(key, Body.ofBytes(bytes), ObjectMetadata.RECORD)
        == CreateResult.CREATED) {
      return true;
    }
    return entry.writer() != null
        && Reads.eventually(store, key)
            .map(b -> parse(key, b))
            .map(e -> entry.writer().equals(e.writer()))
            .orElse(false);
  }

  private AliasEntry read(String key) {
    byte[] bytes =
        Reads.eventually(store, key)
            .orElseThrow(
                () ->
                    new CdnpubException(
                        ExitCode.REMOTE,
                        "alias entry " + key + " is listed but cannot be read; try again."));
    return parse(key, bytes);
  }

  private static AliasEntry parse(String key, byte[] bytes) {
    try {
      return Jackson.MAPPER.readValue(bytes, AliasEntry.class);
    } catch (IOException e) {
      throw new CdnpubException(
          ExitCode.INTERNAL, "alias entry " + key + " is not valid JSON: " + e.getMessage(), e);
    }
  }
}

package dev.cdnpub.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdnpub.core.CdnpubException;
import dev.cdnpub.core.ExitCode;
import dev.cdnpub.core.Jackson;
import dev.cdnpub.core.KeyRules;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The embedded store: a folder with the same semantics as R2. Objects live under {@code objects/}
 * by key, their metadata under {@code meta/}.
 *
 * <p>Create-only is atomic because the body is first written to a private temporary file and then
 * published with a hard link, which the kernel refuses when the name exists (unlike rename, which
 * replaces). Readers therefore never see a partial object.
 *
 * <p>Temporary files live in a staging folder of this store instance, {@code tmp/{id}/}, whose lock
 * file {@code tmp/{id}.lock} the instance holds while it is open. The kernel releases the lock when
 * the process dies, however it dies, so the first write of any later instance removes the staging
 * folders nobody holds: a killed publish leaves no litter behind for long.
 */
public final class LocalObjectStore implements ObjectStore {
  private static final ObjectMapper JSON = Jackson.MAPPER;

  private final Path root;
  private final Path objects;
  private final Path meta;
  private final Path tmp;
  private final String stagingId = UUID.randomUUID().toString();
  private Path staging;
  private FileChannel stagingLock;
  private int swept;

  public LocalObjectStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
    this.objects = this.root.resolve("objects");
    this.meta = this.root.resolve("meta");
    this.tmp = this.root.resolve("tmp");
  }

  /** This instance's staging folder, created and locked on first use, after sweeping dead ones. */
  private synchronized Path staging() throws IOException {
    if (staging == null) {
      Files.createDirectories(tmp);
      stagingLock =
          FileChannel.open(
              tmp.resolve(stagingId + ".lock"),
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE);
      stagingLock.lock();
      swept = sweepDeadStaging();
      staging = Files.createDirectories(tmp.resolve(stagingId));
    }
    return staging;
  }

  /**
   * Removes the staging folders (and their lock files) whose lock no live process holds, and the
   * loose {@code *.part} files of the layout before staging folders. Returns the files removed.
   */
  private int sweepDeadStaging() throws IOException {
    int removed = 0;
    List<Path> entries;
    try (Stream<Path> list = Files.list(tmp)) {
      entries = list.toList();
    }
    for (Path entry : entries) {
      String name = entry.getFileName().toString();
      if (name.endsWith(".part") && Files.isRegularFile(entry)) {
        removed += deleteQuietly(entry) ? 1 : 0;
      } else if (name.endsWith(".lock") && !name.equals(stagingId + ".lock")) {
        Path folder = tmp.resolve(name.substring(0, name.length() - ".lock".length()));
        try (FileChannel channel = FileChannel.open(entry, StandardOpenOption.WRITE)) {
          FileLock lock = channel.tryLock();
          if (lock == null) {
            continue; // another process holds it: a live writer
          }
          removed += deleteTree(folder);
          deleteQuietly(entry);
        } catch (OverlappingFileLockException e) {
          // held by another open store in this JVM: alive
        } catch (NoSuchFileException e) {
          // its owner closed meanwhile and removed it
        }
      }
    }
    return removed;
  }

  private static int deleteTree(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      return 0;
    }
    int removed = 0;
    try (Stream<Path> walk = Files.walk(folder)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        boolean file = Files.isRegularFile(p);
        if (deleteQuietly(p) && file) {
          removed++;
        }
      }
    }
    return removed;
  }

  @Override
  public Discarded abortInterruptedUploads(String prefix) {
    // Staging is not per key: the first write of this instance swept it. Report what it removed.
    try {
      staging();
    } catch (IOException e) {
      throw failure("prepare the staging folder", e);
    }
    synchronized (this) {
      return Discarded.temporaryFiles(swept);
    }
  }

  @Override
  public CreateResult createIfAbsent(String key, Body body, ObjectMetadata metadata) {
    Path target = pathOf(objects, key);
    if (Files.exists(target)) {
      return CreateResult.ALREADY_EXISTS;
    }
    Path staged = null;
    try {
      Files.createDirectories(target.getParent());
      staged = Files.createTempFile(staging(), "obj", ".part");
      if (body.inMemory()) {
        Files.write(staged, body.bytes());
      } else {
        Files.copy(body.file(), staged, StandardCopyOption.REPLACE_EXISTING);
      }
      String expected = metadata.userMetadata().get("sha256");
      if (expected != null && !expected.equals(Digests.sha256Hex(staged))) {
        throw ObjectStore.bodyChanged(key, body);
      }
      try {
        Files.createLink(target, staged);
      } catch (FileAlreadyExistsException e) {
        return CreateResult.ALREADY_EXISTS;
      }
      writeMetadata(key, body.size(), metadata);
      return CreateResult.CREATED;
    } catch (IOException e) {
      throw failure("write " + key, e);
    } finally {
      deleteQuietly(staged);
    }
  }

  private void writeMetadata(String key, long size, ObjectMetadata metadata) throws IOException {
    Path target = pathOf(meta, key);
    Files.createDirectories(target.getParent());
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("size", size);
    record.put("contentType", metadata.contentType());
    record.put("cacheControl", metadata.cacheControl());
    record.put("userMetadata", metadata.userMetadata());
    Path staged = Files.createTempFile(staging(), "meta", ".part");
    try {
      JSON.writeValue(staged.toFile(), record);
      try {
        Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(staged, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      deleteQuietly(staged);
    }
  }

  @Override
  public Optional<byte[]> read(String key) {
    try {
      return Optional.of(Files.readAllBytes(pathOf(objects, key)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw failure("read " + key, e);
    }
  }

  @Override
  public <T> Optional<T> readStream(String key, StreamReader<T> reader) {
    Optional<ObjectInfo> info = stat(key);
    if (info.isEmpty()) {
      return Optional.empty();
    }
    try (InputStream in = Files.newInputStream(pathOf(objects, key))) {
      return Optional.of(reader.read(info.get(), in));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw failure("read " + key, e);
    }
  }

  @Override
  public Optional<ObjectInfo> stat(String key) {
    Path object = pathOf(objects, key);
    try {
      if (!Files.isRegularFile(object)) {
        return Optional.empty();
      }
      long size = Files.size(object);
      Path metaFile = pathOf(meta, key);
      if (!Files.exists(metaFile)) {
        // The process died between link and metadata: the body is whole, so its digest is known.
        return Optional.of(
            new ObjectInfo(size, null, null, Map.of("sha256", Digests.sha256Hex(object))));
      }
      var node = JSON.readTree(metaFile.toFile());
      Map<String, String> user = new LinkedHashMap<>();
      node.path("userMetadata")
          .fields()
          .forEachRemaining(f -> user.put(f.getKey(), f.getValue().asText()));
      return Optional.of(
          new ObjectInfo(
              size, textOrNull(node, "contentType"), textOrNull(node, "cacheControl"), user));
    } catch (IOException e) {
      throw failure("stat " + key, e);
    } catch (UncheckedIOException e) {
      throw failure("stat " + key, e.getCause());
    }
  }

  private static String textOrNull(JsonNode node, String field) {
    var value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  @Override
  public List<String> list(String prefix) {
    if (!Files.isDirectory(objects)) {
      return List.of();
    }
    // Walk only the deepest folder the prefix names completely.
    int slash = prefix.lastIndexOf('/');
    Path start = slash < 0 ? objects : pathOf(objects, prefix.substring(0, slash));
    if (!Files.isDirectory(start)) {
      return List.of();
    }
    List<String> keys = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(start)) {
      walk.filter(Files::isRegularFile)
          .map(p -> objects.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/"))
          .filter(k -> k.startsWith(prefix))
          .forEach(keys::add);
    } catch (IOException e) {
      throw failure("list " + prefix, e);
    }
    keys.sort(null);
    return keys;
  }

  @Override
  public String describe() {
    return "local store " + root;
  }

  public Path root() {
    return root;
  }

  /** Releases the staging folder: removes it (empty by now) and its lock file, then unlocks. */
  @Override
  public synchronized void close() {
    if (stagingLock != null) {
      deleteQuietly(staging);
      deleteQuietly(tmp.resolve(stagingId + ".lock"));
      try {
        stagingLock.close();
      } catch (IOException ignored) {
        // closing releases the lock; the kernel releases it at exit anyway
      }
      stagingLock = null;
      staging = null;
    }
  }

  /** Maps a key to a path below {@code base}, refusing any key that could climb out of it. */
  private static Path pathOf(Path base, String key) {
    return resolveKey(base, key, "object key");
  }

  /**
   * {@code base/key}, refusing (exit 1: keys are checked in the plan, so this is a bug) any key
   * that breaks {@link KeyRules}, the rule every store and the plan share, or that would climb out
   * of {@code base}. Shared by every folder-backed adapter so that all of them accept the same
   * keys.
   */
  public static Path resolveKey(Path base, String key, String what) {
    String problem = KeyRules.problem(key);
    Path path = problem == null ? base.resolve(key).normalize() : null;
    if (path == null || !path.startsWith(base)) {
      throw KeyRules.refused(key, what, problem == null ? "leads out of the store" : problem);
    }
    return path;
  }

  private CdnpubException failure(String what, IOException e) {
    return new CdnpubException(
        ExitCode.INTERNAL, "could not " + what + " in the local store " + root + ": " + e, e);
  }

  private static boolean deleteQuietly(Path path) {
    if (path != null) {
      try {
        return Files.deleteIfExists(path);
      } catch (IOException ignored) {
        // a stray temporary file is harmless (the next instance sweeps it); the object is whole or
        // absent
      }
    }
    return false;
  }
}

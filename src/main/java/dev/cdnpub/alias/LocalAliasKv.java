package dev.cdnpub.alias;

import dev.cdnpub.core.CdnpubException;
import dev.cdnpub.core.ExitCode;
import dev.cdnpub.store.LocalObjectStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The local store's KV: one file per key under {@code .cdnpub/kv/} holding the value, and the key's
 * metadata (if any) as JSON in the same path under {@code .cdnpub/kv-metadata/}; each file is
 * replaced atomically. The metadata is written first, so a reader between the two writes sees the
 * new canary with the old stable value, never a canary that was ended.
 */
public final class LocalAliasKv implements AliasKv {
  private final Path root;
  private final Path metadataRoot;

  public LocalAliasKv(Path storeRoot) {
    this.root = storeRoot.resolve("kv").toAbsolutePath().normalize();
    this.metadataRoot = storeRoot.resolve("kv-metadata").toAbsolutePath().normalize();
  }

  @Override
  public void put(String key, String version, Canary canary) {
    Path metadata = LocalObjectStore.resolveKey(metadataRoot, key, "KV key");
    if (canary == null) {
      try {
        Files.deleteIfExists(metadata);
      } catch (IOException e) {
        throw new CdnpubException(
            ExitCode.INTERNAL, "could not remove " + metadata + ": " + e.getMessage(), e);
      }
    } else {
      write(metadata, canary.kvMetadata());
    }
    write(pathOf(key), version);
  }

  private static void write(Path target, String value) {
    try {
      Files.createDirectories(target.getParent());
      Path staged = Files.createTempFile(target.getParent(), ".kv", ".part");
      Files.writeString(staged, value, StandardCharsets.UTF_8);
      try {
        Files.move(
            staged, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(staged, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new CdnpubException(
          ExitCode.INTERNAL, "could not write " + target + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<String> get(String key) {
    return read(pathOf(key));
  }

  @Override
  public Optional<String> metadata(String key) {
    return read(LocalObjectStore.resolveKey(metadataRoot, key, "KV key"));
  }

  private static Optional<String> read(Path path) {
    try {
      return Optional.of(Files.readString(path, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new CdnpubException(
          ExitCode.INTERNAL, "could not read " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String describe() {
    return "local KV " + root;
  }

  private Path pathOf(String key) {
    return LocalObjectStore.resolveKey(root, key, "KV key");
  }
}

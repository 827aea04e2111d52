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

/** The local store's KV: one file per key under {@code .cdnpub/kv/}, replaced atomically. */
public final class LocalAliasKv implements AliasKv {
  private final Path root;

  public LocalAliasKv(Path storeRoot) {
    this.root = storeRoot.resolve("kv").toAbsolutePath().normalize();
  }

  @Override
  public void put(String key, String value) {
    Path target = pathOf(key);
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
    try {
      return Optional.of(Files.readString(pathOf(key), StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new CdnpubException(
          ExitCode.INTERNAL, "could not read " + pathOf(key) + ": " + e.getMessage(), e);
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

package dev.cdnpub.cli;

import dev.cdnpub.testing.CliRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Canary commands on the local store: KV values in .cdnpub/kv, metadata in .cdnpub/kv-metadata. */
class LocalCanaryCommandTest extends CanaryCommandContract {
  static final Map<String, String> ENV =
      Map.of("CDNPUB_LIBRARY", "chatleo", "GITHUB_ACTOR", "octocat");

  @Override
  CliRun cdnpub(String... args) {
    return CliRun.run(work, ENV, args);
  }

  @Override
  String kvValue(String alias) {
    return read(work.resolve(".cdnpub/kv/chatleo/" + alias));
  }

  @Override
  String kvMetadata(String alias) {
    return read(work.resolve(".cdnpub/kv-metadata/chatleo/" + alias));
  }

  @Override
  String kvWrites() {
    try (Stream<Path> files = Files.walk(work.resolve(".cdnpub"))) {
      return files
          .filter(Files::isRegularFile)
          .filter(p -> p.toString().contains("/kv"))
          .sorted()
          .map(p -> p + "=" + read(p) + "@" + modified(p))
          .collect(Collectors.joining("\n"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  void loseKv() throws IOException {
    for (String dir : new String[] {".cdnpub/kv", ".cdnpub/kv-metadata"}) {
      try (Stream<Path> files = Files.walk(work.resolve(dir))) {
        for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  private static String read(Path path) {
    try {
      return Files.exists(path) ? Files.readString(path) : null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String modified(Path path) {
    try {
      return Files.getLastModifiedTime(path).toString()
          + "/"
          + Files.getAttribute(path, "unix:ino");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

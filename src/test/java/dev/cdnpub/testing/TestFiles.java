package dev.cdnpub.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** Builds library folders for tests. */
public final class TestFiles {
  private TestFiles() {}

  /** Writes each path to content (UTF-8) below dir and returns dir. */
  public static Path write(Path dir, Map<String, String> files) {
    try {
      for (var e : new TreeMap<>(files).entrySet()) {
        Path p = dir.resolve(e.getKey());
        Files.createDirectories(p.getParent());
        Files.writeString(p, e.getValue(), StandardCharsets.UTF_8);
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A small library of n files whose contents all mention tag, so two tags never share content. */
  public static Path library(Path dir, String tag, int n) {
    Map<String, String> files = new TreeMap<>();
    files.put("loader.js", "/* " + tag + " */ console.log('loader " + tag + "');\n");
    for (int i = 1; i < n; i++) {
      files.put(
          "chunks/chunk-" + i + ".js",
          "/* " + tag + " */ export const n = " + i + ";\n".repeat(1 + i % 7));
    }
    return write(dir, files);
  }

  public static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new java.util.Random(seed).nextBytes(b);
    return b;
  }
}

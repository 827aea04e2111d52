package dev.cdnpub.publish;

import java.util.Locale;
import java.util.Map;

/**
 * Content types from cdnpub's own table, never from the operating system's MIME database: those get
 * {@code .js}, {@code .mjs} and {@code .wasm} wrong on many machines, and a browser refuses a
 * module script or streaming WebAssembly served with the wrong type.
 */
public final class ContentTypes {
  public static final String FALLBACK = "application/octet-stream";

  private static final Map<String, String> BY_EXTENSION =
      Map.ofEntries(
          Map.entry("js", "text/javascript; charset=utf-8"),
          Map.entry("mjs", "text/javascript; charset=utf-8"),
          Map.entry("cjs", "text/javascript; charset=utf-8"),
          Map.entry("css", "text/css; charset=utf-8"),
          Map.entry("map", "application/json; charset=utf-8"),
          Map.entry("json", "application/json; charset=utf-8"),
          Map.entry("wasm", "application/wasm"),
          Map.entry("svg", "image/svg+xml"),
          Map.entry("html", "text/html; charset=utf-8"),
          Map.entry("htm", "text/html; charset=utf-8"),
          Map.entry("woff", "font/woff"),
          Map.entry("woff2", "font/woff2"),
          Map.entry("png", "image/png"),
          Map.entry("jpg", "image/jpeg"),
          Map.entry("jpeg", "image/jpeg"),
          Map.entry("webp", "image/webp"),
          Map.entry("avif", "image/avif"),
          Map.entry("gif", "image/gif"),
          Map.entry("ico", "image/x-icon"),
          Map.entry("txt", "text/plain; charset=utf-8"),
          Map.entry("md", "text/markdown; charset=utf-8"),
          Map.entry("xml", "application/xml; charset=utf-8"));

  private ContentTypes() {}

  /** The content type for a relative path such as {@code dist/index.d.ts}. */
  public static String forPath(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    // TypeScript declarations are text; ".ts" alone is ambiguous (MPEG transport stream).
    if (name.endsWith(".d.ts") || name.endsWith(".d.mts") || name.endsWith(".d.cts")) {
      return "text/plain; charset=utf-8";
    }
    int dot = name.lastIndexOf('.');
    if (dot <= 0) {
      return FALLBACK;
    }
    return BY_EXTENSION.getOrDefault(name.substring(dot + 1), FALLBACK);
  }
}

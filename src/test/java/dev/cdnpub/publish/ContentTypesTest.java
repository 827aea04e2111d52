package dev.cdnpub.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ContentTypesTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "loader.js|text/javascript; charset=utf-8",
        "esm/index.mjs|text/javascript; charset=utf-8",
        "cjs/index.cjs|text/javascript; charset=utf-8",
        "LOADER.JS|text/javascript; charset=utf-8",
        "style.css|text/css; charset=utf-8",
        "loader.js.map|application/json; charset=utf-8",
        "meta.json|application/json; charset=utf-8",
        "core.wasm|application/wasm",
        "logo.svg|image/svg+xml",
        "demo.html|text/html; charset=utf-8",
        "f.woff|font/woff",
        "f.woff2|font/woff2",
        "a.png|image/png",
        "a.jpg|image/jpeg",
        "a.jpeg|image/jpeg",
        "a.webp|image/webp",
        "a.avif|image/avif",
        "LICENSE.txt|text/plain; charset=utf-8",
        "types/index.d.ts|text/plain; charset=utf-8",
        "types/index.d.mts|text/plain; charset=utf-8",
        "src/index.ts|application/octet-stream",
        "LICENSE|application/octet-stream",
        ".npmrc|application/octet-stream",
        "data.bin|application/octet-stream",
        "archive.tar.gz|application/octet-stream"
      })
  void forPath_usesOwnTable(String path, String expected) {
    assertEquals(expected, ContentTypes.forPath(path));
  }
}

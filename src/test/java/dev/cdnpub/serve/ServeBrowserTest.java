package dev.cdnpub.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.net.httpserver.HttpServer;
import dev.cdnpub.testing.CliRun;
import dev.cdnpub.testing.ServeProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

/**
 * A real browser proves the integration: the example library (examples/chatleo), built as 1.0.0 and
 * 1.0.1, published to the local store and served by {@code cdnpub serve}; a page on another origin
 * (another loopback port, so CORS is really exercised) holds the two lines a customer pastes;
 * headless Chromium renders it. The loader pulls its module through the same alias, and the module
 * shows the version it was served as.
 *
 * <p>serve runs with the aliases' browser TTLs at 0, as docs/serve.md recommends for watching
 * moves: with the default (300 s for v1) the same browser keeps following its cached redirect after
 * a rollback (measured with this Chromium: the reload sent no request at all).
 */
class ServeBrowserTest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final int BROWSER_SECONDS = 90;

  @TempDir Path work;

  @Test
  void
      browser_pageOnAnotherOrigin_rendersTheAliasesVersion_andAfterARollbackTheReloadShowsTheOldOne()
          throws Exception {
    requireChromium(CHROMIUM);
    Map<String, String> library = Map.of("CDNPUB_LIBRARY", "chatleo");
    for (String version : List.of("1.0.0", "1.0.1")) {
      Path built = build(version);
      CliRun run = CliRun.run(work, library, "publish", built.toString(), "--version", version);
      assertEquals(0, run.exitCode, run.toString());
    }

    Map<String, String> env =
        Map.of("CDNPUB_ALIAS_BROWSER_TTL", "0", "CDNPUB_ALIAS_SHORT_BROWSER_TTL", "0");
    HttpServer pages =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    try (ServeProcess serve = ServeProcess.start(work, env, "Ctrl-C", "--port", "0")) {
      byte[] page =
          ("<!doctype html>\n<html><head><title>host page</title></head><body>\n"
                  + "<script src=\""
                  + serve.url()
                  + "/v1/chatleo/loader.js\"></script>\n"
                  + "<chatleo-widget></chatleo-widget>\n"
                  + "</body></html>\n")
              .getBytes(StandardCharsets.UTF_8);
      pages.createContext(
          "/",
          exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(page);
            }
          });
      pages.start();
      String pageUrl = "http://127.0.0.1:" + pages.getAddress().getPort() + "/index.html";
      assertTrue(!pageUrl.startsWith(serve.url()), "the page has its own origin");
      Path profile = Files.createDirectories(work.resolve("chromium-profile"));

      String first = render(pageUrl, profile);
      assertTrue(
          first.contains(
              "<chatleo-widget class=\"chatleo\" data-version=\"1.0.1\">chatleo 1.0.1 says hello</chatleo-widget>"),
          first);
      assertEquals(
          "GET /v1/chatleo/esm/widget.mjs 302 -> " + serve.url() + "/v1.0.1/chatleo/esm/widget.mjs",
          serve.awaitLine("GET /v1/chatleo/esm/widget.mjs", 10),
          "the module came through the alias");
      assertEquals(
          "GET /v1.0.1/chatleo/esm/widget.mjs 200",
          serve.awaitLine("GET /v1.0.1/chatleo/esm/widget.mjs", 10));

      CliRun rollback = CliRun.run(work, library, "rollback", "v1");
      assertEquals(0, rollback.exitCode, rollback.toString());

      String reloaded = render(pageUrl, profile);
      assertTrue(
          reloaded.contains(
              "<chatleo-widget class=\"chatleo\" data-version=\"1.0.0\">chatleo 1.0.0 says hello</chatleo-widget>"),
          reloaded);
      serve.awaitLine("GET /v1.0.0/chatleo/esm/widget.mjs 200", 10);
    } finally {
      pages.stop(0);
    }
  }

  /**
   * Fails (never skips) when {@code chromium} is not there, naming the command that installs it.
   */
  static void requireChromium(Path chromium) {
    if (!Files.isExecutable(chromium)) {
      fail(
          "Chromium is missing: the browser test needs "
              + chromium
              + "; install it with 'apt-get install -y chromium' (with sudo when not root).");
    }
  }

  @Test
  void browser_chromiumMissing_failsNamingTheAptCommand() {
    AssertionFailedError failure =
        assertThrows(
            AssertionFailedError.class, () -> requireChromium(work.resolve("no-chromium-here")));
    assertTrue(failure.getMessage().contains("apt-get install -y chromium"), failure.getMessage());
  }

  /** The example library "built" as {@code version}: its files, each script stamped with it. */
  private Path build(String version) throws IOException {
    Path source = Path.of("examples/chatleo/dist").toAbsolutePath();
    Path out = work.resolve("build-" + version);
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Path target = out.resolve(source.relativize(file).toString());
        Files.createDirectories(target.getParent());
        String text = Files.readString(file, StandardCharsets.UTF_8);
        boolean script = file.toString().endsWith(".js") || file.toString().endsWith(".mjs");
        Files.writeString(
            target, script ? "// chatleo " + version + "\n" + text : text, StandardCharsets.UTF_8);
      }
    }
    return out;
  }

  /** The DOM after headless Chromium loaded {@code url}: every wait bounded, killed in finally. */
  private String render(String url, Path profile) throws Exception {
    Path dom = Files.createTempFile(work, "dom", ".html");
    Path log = Files.createTempFile(work, "chromium", ".log");
    Process chromium =
        new ProcessBuilder(
                CHROMIUM.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--no-first-run",
                "--user-data-dir=" + profile,
                "--virtual-time-budget=10000",
                "--dump-dom",
                url)
            .redirectOutput(dom.toFile())
            .redirectError(log.toFile())
            .start();
    try {
      if (!chromium.waitFor(BROWSER_SECONDS, TimeUnit.SECONDS)) {
        fail("Chromium did not finish within " + BROWSER_SECONDS + " s: " + read(log));
      }
      assertEquals(0, chromium.exitValue(), read(log));
      return read(dom);
    } finally {
      chromium.descendants().forEach(ProcessHandle::destroyForcibly);
      chromium.destroyForcibly();
      chromium.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

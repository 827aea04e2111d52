package dev.cdnpub.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdnpub.core.Jackson;
import dev.cdnpub.testing.CliRun;
import dev.cdnpub.testing.RawHttp;
import dev.cdnpub.testing.ServeProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cdnpub serve} from the command line: startup lines, a clean stop, and refusals. */
class ServeCommandTest {
  @TempDir Path work;

  private void publish(String version) {
    CliRun run =
        CliRun.run(
            work,
            Map.of(),
            "publish",
            Path.of("examples/chatleo/dist").toAbsolutePath().toString(),
            "--version",
            version,
            "--library",
            "chatleo");
    assertEquals(0, run.exitCode, run.toString());
  }

  @Test
  void serve_printsItsUrlAndAnAliasExample_answersIt_andStopsCleanlyOnSigterm() throws Exception {
    publish("1.0.0");
    try (ServeProcess serve = ServeProcess.start(work, Map.of(), "Ctrl-C", "--port", "0")) {
      List<String> lines = serve.startupLines();
      assertTrue(
          lines.get(0).matches("Serving local store .*\\.cdnpub at http://127\\.0\\.0\\.1:\\d+/"),
          lines.toString());
      String example = serve.url() + "/latest/chatleo/loader.js";
      assertTrue(lines.contains("  try " + example), lines.toString());
      assertTrue(
          lines.contains(
              "  cdnpub snippet and verify --public assume http://127.0.0.1:8787 for the local"
                  + " store: give them --base-url "
                  + serve.url()),
          "not on 8787: says which --base-url to give: " + lines);
      assertEquals("", serve.stderr(), "no warning on loopback");

      RawHttp.Response alias =
          RawHttp.send(
              serve.port(),
              "GET",
              "/latest/chatleo/loader.js",
              Map.of("Host", serve.url().substring(7)));
      assertEquals(302, alias.status());
      assertEquals(serve.url() + "/v1.0.0/chatleo/loader.js", alias.header("location"));
      assertEquals(
          "GET /latest/chatleo/loader.js 302 -> " + serve.url() + "/v1.0.0/chatleo/loader.js",
          serve.awaitLine("GET /latest/", 10),
          "one log line per answer");

      int exit = serve.terminate();
      assertEquals(143, exit, "ended by SIGTERM (128 + 15) after its shutdown hook ran");
      assertTrue(
          serve.stderr().contains("cdnpub: stopped serving " + serve.url() + "."), serve.stderr());
      assertThrows(
          IOException.class,
          () -> new Socket().connect(new InetSocketAddress("127.0.0.1", serve.port()), 2000),
          "the port is closed");
    }
  }

  @Test
  void serve_nonLoopbackHost_warns_andJsonPrintsOneObject() throws Exception {
    publish("1.0.0");
    try (ServeProcess serve =
        ServeProcess.start(
            work, Map.of(), "\"command\"", "--host", "0.0.0.0", "--port", "0", "--json")) {
      List<String> lines = serve.startupLines();
      assertEquals(1, lines.size(), lines.toString());
      JsonNode json = Jackson.MAPPER.readTree(lines.get(0));
      assertEquals("serve", json.get("command").asText());
      assertEquals("ok", json.get("status").asText());
      assertEquals(0, json.get("exitCode").asInt());
      assertFalse(json.get("loopback").asBoolean());
      assertTrue(json.get("url").asText().startsWith("http://0.0.0.0:"), json.toString());
      assertEquals(
          json.get("url").asText() + "/latest/chatleo/loader.js", json.get("example").asText());
      assertTrue(
          serve
              .stderr()
              .startsWith(
                  "warning: listening on "
                      + json.get("url").asText()
                      + ", which other machines can reach"),
          serve.stderr());
      serve.terminate();
      assertEquals(List.of(), serve.laterLines(), "one object on stdout, also after the stop");
    }
  }

  @Test
  void serve_quiet_printsOnlyTheLineWithItsUrl_andNoRequestLog() throws Exception {
    publish("1.0.0");
    try (ServeProcess serve = ServeProcess.start(work, Map.of(), "Serving", "--port", "0", "-q")) {
      List<String> lines = serve.startupLines();
      assertEquals(1, lines.size(), lines.toString());
      assertTrue(
          lines.get(0).matches("Serving local store .*\\.cdnpub at http://127\\.0\\.0\\.1:\\d+/"),
          lines.toString());
      assertTrue(serve.port() > 0, "the chosen port is learned from it");
      RawHttp.Response alias =
          RawHttp.send(
              serve.port(),
              "GET",
              "/latest/chatleo/loader.js",
              Map.of("Host", serve.url().substring(7)));
      assertEquals(302, alias.status());
      serve.terminate();
      assertEquals(List.of(), serve.laterLines(), "no request log, no notes");
      assertEquals("", serve.stderr(), "no chatter on stderr");
    }
  }

  @Test
  void serve_noAliasYet_saysHowToGetOne() throws Exception {
    Files.createDirectories(work.resolve(".cdnpub"));
    try (ServeProcess serve = ServeProcess.start(work, Map.of(), "Ctrl-C", "--port", "0")) {
      assertTrue(
          serve.startupLines().stream().anyMatch(l -> l.startsWith("  no alias yet")),
          serve.startupLines().toString());
    }
  }

  @Test
  void serve_portInUse_exit2BeforeListening() throws Exception {
    publish("1.0.0");
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      CliRun run = CliRun.run(work, Map.of(), "serve", "--port", String.valueOf(port), "--json");
      assertEquals(2, run.exitCode, run.toString());
      assertTrue(run.err.startsWith("cdnpub: cannot listen on 127.0.0.1:" + port + ": "), run.err);
      JsonNode json = Jackson.MAPPER.readTree(run.out);
      assertEquals("error", json.get("status").asText());
      assertEquals(2, json.get("exitCode").asInt());
    }
  }

  @Test
  void serve_badPortOrTtlSetting_exit2_missingLocalStore_exit4_andNothingCreated()
      throws Exception {
    CliRun noStore = CliRun.run(work, Map.of(), "serve");
    assertEquals(4, noStore.exitCode, noStore.toString());
    assertTrue(noStore.err.contains("does not exist: nothing was published there"), noStore.err);
    assertFalse(Files.exists(work.resolve(".cdnpub")), "serve creates no store");

    publish("1.0.0");
    CliRun badPort = CliRun.run(work, Map.of(), "serve", "--port", "70000");
    assertEquals(2, badPort.exitCode, badPort.toString());
    assertEquals(
        "cdnpub: --port 70000 is not a port (1 to 65535, or 0 for any free port).\n", badPort.err);

    CliRun badTtl =
        CliRun.run(work, Map.of("CDNPUB_ALIAS_BROWSER_TTL", "-5"), "serve", "--port", "0");
    assertEquals(2, badTtl.exitCode, badTtl.toString());
    assertTrue(
        badTtl.err.contains("ALIAS_BROWSER_TTL '-5' is not a number of seconds"), badTtl.err);
  }
}

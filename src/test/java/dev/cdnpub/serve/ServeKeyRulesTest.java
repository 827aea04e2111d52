package dev.cdnpub.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdnpub.alias.LocalAliasKv;
import dev.cdnpub.app.ApiFactory;
import dev.cdnpub.app.Application;
import dev.cdnpub.app.ServeStore;
import dev.cdnpub.app.StoreFactory;
import dev.cdnpub.config.SettingsResolver;
import dev.cdnpub.core.CdnpubException;
import dev.cdnpub.core.Jackson;
import dev.cdnpub.testing.RawHttp;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The publisher's one table of names (src/test/resources/key-rules.json) against serve's resolver,
 * as src/test/worker/key-rules.test.mjs runs it against the Worker: a path no release can hold is
 * refused, one it can hold is redirected; a KV value the publisher would not write is a 502; an
 * alias outside the grammar is a 400.
 */
class ServeKeyRulesTest {
  static final String HOST = "cdn.example.com";
  @TempDir Path work;
  private ServeStore.Serving serving;
  private LocalAliasKv kv;
  private JsonNode table;

  @BeforeEach
  void start() throws Exception {
    try (InputStream in = getClass().getResourceAsStream("/key-rules.json")) {
      table = Jackson.MAPPER.readTree(in);
    }
    Files.createDirectories(work.resolve(".cdnpub"));
    kv = new LocalAliasKv(work.resolve(".cdnpub"));
    Application app =
        new Application(
            Map.of(), work, Clock.systemUTC(), l -> {}, StoreFactory.DEFAULT, ApiFactory.DEFAULT);
    serving =
        new ServeStore(app)
            .start(
                new ServeStore.Request(
                    SettingsResolver.Flags.none(), "127.0.0.1", 0, RequestLog.NONE));
  }

  @AfterEach
  void stop() {
    serving.close();
  }

  private RawHttp.Response get(String target) throws Exception {
    return RawHttp.send(serving.listener().port(), "GET", target, Map.of("Host", HOST));
  }

  /** encodeURIComponent, and the dots of a "." or ".." segment escaped, as the Worker's test. */
  static String encodeSegment(String segment) {
    if (segment.matches("\\.+")) {
      return segment.replace(".", "%2E");
    }
    StringBuilder out = new StringBuilder();
    for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xFF);
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || "-_.!~*'()".indexOf(c) >= 0) {
        out.append(c);
      } else {
        out.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xFF));
      }
    }
    return out.toString();
  }

  @Test
  void paths_redirectedExactlyWhenAReleaseCanHoldTheName() throws Exception {
    kv.put("lib/v1", "1.0.0", null);
    for (JsonNode p : table.get("paths")) {
      String path = p.get("path").asText();
      String why = p.get("why").asText();
      String encoded =
          Arrays.stream(path.split("/", -1))
              .map(ServeKeyRulesTest::encodeSegment)
              .collect(Collectors.joining("/"));
      RawHttp.Response r = get("/v1/lib/" + encoded);
      if (p.get("ok").asBoolean()) {
        assertEquals(302, r.status(), why + ": " + r.text());
        assertEquals("http://" + HOST + "/v1.0.0/lib/" + encoded, r.header("location"), why);
      } else if (Arrays.stream(path.split("/", -1))
          .anyMatch(s -> s.equals(".") || s.equals(".."))) {
        String location = r.header("location");
        assertTrue(
            r.status() == 400 || !location.matches("(?i).*/(\\.|%2e){1,2}(/.*|$)"),
            why + ": " + location);
      } else {
        assertEquals(400, r.status(), why + ": " + r.text());
      }
    }
  }

  @Test
  void versions_aKvValueIsFollowedExactlyWhenThePublisherAcceptsIt() throws Exception {
    for (JsonNode v : table.get("versions")) {
      kv.put("lib/v1", v.get("text").asText(), null);
      RawHttp.Response r = get("/v1/lib/x.js");
      assertEquals(
          v.get("ok").asBoolean() ? 302 : 502, r.status(), v.get("text") + ": " + r.text());
    }
  }

  @Test
  void aliases_resolvedExactlyWhenThePublisherAcceptsTheName() throws Exception {
    for (JsonNode a : table.get("aliases")) {
      String text = a.get("text").asText();
      boolean ok = a.get("ok").asBoolean();
      try {
        kv.put("lib/" + text, "1.0.0", null);
      } catch (CdnpubException e) {
        assertFalse(ok, text + " is a valid alias, and the local KV refused it: " + e);
      }
      RawHttp.Response r = get("/" + encodeSegment(text) + "/lib/x.js");
      assertEquals(ok ? 302 : 400, r.status(), text + ": " + r.text());
    }
  }
}

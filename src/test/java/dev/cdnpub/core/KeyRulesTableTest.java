package dev.cdnpub.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdnpub.alias.AliasName;
import dev.cdnpub.publish.ReleaseVersion;
import dev.cdnpub.store.Body;
import dev.cdnpub.store.CreateResult;
import dev.cdnpub.store.LocalObjectStore;
import dev.cdnpub.store.ObjectMetadata;
import dev.cdnpub.store.ObjectStore;
import dev.cdnpub.testing.S3ProxyServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The one table of names (src/test/resources/key-rules.json) against the Java side: the rule, both
 * stores, versions and aliases. The resolver Worker runs the same table in workerd.
 */
class KeyRulesTableTest {
  static final String PREFIX = "v1.0.0/lib/";
  static final JsonNode TABLE = load();

  static JsonNode load() {
    try (InputStream in = KeyRulesTableTest.class.getResourceAsStream("/key-rules.json")) {
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static Stream<Arguments> paths() {
    List<Arguments> out = new ArrayList<>();
    TABLE
        .get("paths")
        .forEach(
            p ->
                out.add(
                    Arguments.of(
                        p.get("why").asText(), p.get("path").asText(), p.get("ok").asBoolean())));
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("paths")
  void rule_acceptsExactlyTheTablesPaths(String why, String path, boolean ok) {
    String problem = KeyRules.problem(PREFIX + path);
    if (ok) {
      assertNull(problem, why);
    } else {
      assertNotNull(problem, why);
    }
  }

  @Test
  void table_hasBothKindsAndEveryRefusalReason() {
    long ok = 0;
    long refused = 0;
    for (JsonNode p : TABLE.get("paths")) {
      if (p.get("ok").asBoolean()) {
        ok++;
      } else {
        refused++;
      }
    }
    assertTrue(ok >= 10 && refused >= 20, ok + " accepted, " + refused + " refused");
  }

  @Test
  void loneSurrogate_isRefused() {
    // Not in the shared table: JavaScript cannot put a lone surrogate into a URL at all.
    assertNotNull(KeyRules.problem(PREFIX + "x\uD800.js"));
  }

  @Test
  void localStore_storesExactlyTheTablesPaths(@TempDir Path dir) {
    try (ObjectStore store = new LocalObjectStore(dir)) {
      storesExactlyTheTablesPaths(store);
    }
  }

  @Test
  void s3Store_storesExactlyTheTablesPaths() {
    S3ProxyServer server = S3ProxyServer.shared();
    try (ObjectStore store = server.store(server.newBucket(), 64L * 1024 * 1024)) {
      storesExactlyTheTablesPaths(store);
    }
  }

  private static void storesExactlyTheTablesPaths(ObjectStore store) {
    ObjectMetadata metadata =
        new ObjectMetadata("text/javascript; charset=utf-8", "no-store", Map.of());
    List<String> expected = new ArrayList<>();
    for (JsonNode p : TABLE.get("paths")) {
      String key = PREFIX + p.get("path").asText();
      byte[] body = key.getBytes(StandardCharsets.UTF_8);
      if (p.get("ok").asBoolean()) {
        assertEquals(
            CreateResult.CREATED,
            store.createIfAbsent(key, Body.ofBytes(body), metadata),
            p.get("why").asText());
        assertArrayEquals(body, store.read(key).orElseThrow(), p.get("why").asText());
        expected.add(key);
      } else {
        CdnpubException e =
            assertThrows(
                CdnpubException.class,
                () -> store.createIfAbsent(key, Body.ofBytes(body), metadata),
                p.get("why").asText());
        assertEquals(
            ExitCode.INTERNAL,
            e.exitCode(),
            "the plan refuses these first; a store seeing one is a bug");
      }
    }
    expected.sort(null);
    assertEquals(expected, store.list(PREFIX), "only the accepted names were stored");
  }

  @Test
  void versions_areAcceptedExactlyAsTheTableSays() {
    for (JsonNode v : TABLE.get("versions")) {
      String text = v.get("text").asText();
      assertEquals(v.get("ok").asBoolean(), ReleaseVersion.isValid(text), "version '" + text + "'");
    }
  }

  @Test
  void aliases_areAcceptedExactlyAsTheTableSays() {
    for (JsonNode a : TABLE.get("aliases")) {
      String text = a.get("text").asText();
      boolean accepted;
      try {
        AliasName.parse(text);
        accepted = true;
      } catch (CdnpubException e) {
        accepted = false;
      }
      assertEquals(a.get("ok").asBoolean(), accepted, "alias '" + text + "'");
    }
  }

  @Test
  void everyAcceptedVersion_hasAliasesThatParse() {
    for (JsonNode v : TABLE.get("versions")) {
      if (v.get("ok").asBoolean()) {
        ReleaseVersion version = ReleaseVersion.parse(v.get("text").asText());
        assertEquals(AliasName.Kind.MAJOR, AliasName.parse("v" + version.major()).kind());
        assertEquals(
            AliasName.Kind.MINOR,
            AliasName.parse("v" + version.major() + "." + version.minor()).kind());
        assertFalse(
            KeyRules.problem("v" + version + "/lib/x.js") != null, version + " makes a valid key");
      }
    }
  }
}

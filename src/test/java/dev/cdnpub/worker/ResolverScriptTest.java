package dev.cdnpub.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdnpub.config.Settings;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The Worker's TTL defaults live once, in resolver.js. Java reads them from there; the vectors that
 * the Worker passes in workerd show it answers with the same numbers.
 */
class ResolverScriptTest {
  static JsonNode vector(String name) throws Exception {
    try (InputStream in = ResolverScriptTest.class.getResourceAsStream("/resolver-vectors.json")) {
      for (JsonNode c : new ObjectMapper().readTree(in).get("cases")) {
        if (c.get("name").asText().equals(name)) {
          return c;
        }
      }
    }
    throw new AssertionError("no vector " + name);
  }

  @Test
  void defaults_areTheSettableVariables_andWhatTheWorkerAnswersWith() throws Exception {
    Map<String, String> d = ResolverScript.defaults();
    assertEquals(new TreeSet<>(Settings.WORKER_VARS), d.keySet());
    JsonNode normal = vector("latest resolves with the normal TTL");
    assertEquals(null, normal.get("vars"), "the vector runs on the defaults");
    assertEquals(
        "public, max-age=" + d.get("ALIAS_BROWSER_TTL"),
        normal.get("expect").get("headers").get("cache-control").asText());
    JsonNode shortLived = vector("major v0 resolves with the short TTL");
    assertEquals(
        "public, max-age=" + d.get("ALIAS_SHORT_BROWSER_TTL"),
        shortLived.get("expect").get("headers").get("cache-control").asText());
  }

  @Test
  void canaryAnswers_useTheShortBrowserTtlDefault_andArePrivate() throws Exception {
    JsonNode canary =
        vector(
            "canary: a client whose bucket (30) is below the percent (31) gets the canary version");
    assertEquals(null, canary.get("vars"), "the vector runs on the defaults");
    assertEquals(
        "private, max-age=" + ResolverScript.defaults().get("ALIAS_SHORT_BROWSER_TTL"),
        canary.get("expect").get("headers").get("cache-control").asText());
  }

  @Test
  void vars_areTheDefaultsWithTheUsersValuesOnTop() {
    Map<String, String> vars = ResolverScript.vars(Map.of("ALIAS_BROWSER_TTL", "5"));
    assertEquals("5", vars.get("ALIAS_BROWSER_TTL"));
    assertEquals(ResolverScript.defaults().get("KV_CACHE_TTL"), vars.get("KV_CACHE_TTL"));
    assertEquals(List.copyOf(new TreeSet<>(Settings.WORKER_VARS)), List.copyOf(vars.keySet()));
  }
}

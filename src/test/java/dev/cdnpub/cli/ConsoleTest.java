package dev.cdnpub.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsoleTest {
  @Test
  void everyLineAndStackTrace_hidesSecretEnvironmentValues() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Map<String, String> env =
        Map.of(
            "R2_SECRET_ACCESS_KEY", "r2-secret-value-123",
            "CLOUDFLARE_API_TOKEN", "cf-token-value-456",
            "AWS_ACCESS_KEY_ID", "AKIAEXAMPLE789",
            "CDNPUB_R2_BUCKET", "public-bucket-name");
    Console console = new Console(new PrintWriter(out), new PrintWriter(err), env);
    console.out(
        "key r2-secret-value-123 and token cf-token-value-456 in bucket public-bucket-name");
    console.err("id AKIAEXAMPLE789");
    console.errStackTrace(
        new RuntimeException(
            "failed with cf-token-value-456", new IllegalStateException("r2-secret-value-123")));
    String all = out + "" + err;
    assertFalse(all.contains("r2-secret-value-123"), all);
    assertFalse(all.contains("cf-token-value-456"), all);
    assertFalse(all.contains("AKIAEXAMPLE789"), all);
    assertTrue(out.toString().contains("public-bucket-name"), "non-secret settings are shown");
    assertEquals("key *** and token *** in bucket public-bucket-name", out.toString().trim());
  }
}

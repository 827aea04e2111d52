package dev.cdnpub.worker;

import dev.cdnpub.core.CdnpubException;
import dev.cdnpub.core.ExitCode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** The resolver Worker's source, bundled into the jar from {@code src/main/worker}. */
public final class ResolverScript {
  /** The module's file name; the Workers API requires the upload part to carry this name. */
  public static final String MAIN_MODULE = "resolver.js";

  /** The compatibility date the Worker is tested with in workerd (see src/test/worker). */
  public static final String COMPATIBILITY_DATE = "2025-12-01";

  /** The KV binding the script reads aliases from. */
  public static final String KV_BINDING = "ALIASES";

  private ResolverScript() {}

  public static String source() {
    try (InputStream in = ResolverScript.class.getResourceAsStream("/worker/" + MAIN_MODULE)) {
      if (in == null) {
        throw new CdnpubException(ExitCode.INTERNAL, "the resolver script is missing from the cdnpub jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CdnpubException(ExitCode.INTERNAL, "cannot read the bundled resolver script: " + e.getMessage(), e);
    }
  }
}

package dev.cdnpub.worker;

import dev.cdnpub.core.CdnpubException;
import dev.cdnpub.core.ExitCode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The resolver Worker's source, bundled into the jar from {@code src/main/worker}. */
public final class ResolverScript {
  /** The module's file name; the Workers API requires the upload part to carry this name. */
  public static final String MAIN_MODULE = "resolver.js";

  /** The compatibility date the Worker is tested with in workerd (see src/test/worker). */
  public static final String COMPATIBILITY_DATE = "2025-12-01";

  /** The KV binding the script reads aliases from. */
  public static final String KV_BINDING = "ALIASES";

  private ResolverScript() {}

  private static final Pattern DEFAULTS_BLOCK = Pattern.compile("const DEFAULTS = \\{([^}]*)};");
  private static final Pattern DEFAULT = Pattern.compile("\\s*([A-Z_]+): (\\d+),?\\s*");

  /**
   * The TTL variables of the Worker, each the user's value if given, else the default written in
   * the script's {@code DEFAULTS}: the one place the defaults live, for the Worker and for Java.
   */
  public static SortedMap<String, String> vars(Map<String, String> given) {
    SortedMap<String, String> vars = new TreeMap<>(defaults());
    vars.putAll(given);
    return vars;
  }

  /** {@code DEFAULTS} of the bundled script, by name. */
  static Map<String, String> defaults() {
    Matcher block = DEFAULTS_BLOCK.matcher(source());
    if (!block.find()) {
      throw new CdnpubException(
          ExitCode.INTERNAL, "the bundled resolver script has no DEFAULTS block");
    }
    Map<String, String> defaults = new TreeMap<>();
    for (String line : block.group(1).split("\\n")) {
      if (line.isBlank()) {
        continue;
      }
      Matcher m = DEFAULT.matcher(line);
      if (!m.matches()) {
        throw new CdnpubException(
            ExitCode.INTERNAL, "cannot read the resolver's DEFAULTS line: " + line.trim());
      }
      defaults.put(m.group(1), m.group(2));
    }
    return defaults;
  }

  public static String source() {
    try (InputStream in = ResolverScript.class.getResourceAsStream("/worker/" + MAIN_MODULE)) {
      if (in == null) {
        throw new CdnpubException(
            ExitCode.INTERNAL, "the resolver script is missing from the cdnpub jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CdnpubException(
          ExitCode.INTERNAL, "cannot read the bundled resolver script: " + e.getMessage(), e);
    }
  }
}

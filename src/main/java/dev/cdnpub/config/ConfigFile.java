package dev.cdnpub.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.cdnpub.core.CdnpubException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code cdnpub.json}: non-secret settings checked into the project. A field that looks like a
 * secret is refused, because a file in the repository is exactly where secrets leak from.
 */
public final class ConfigFile {
  public static final String DEFAULT_NAME = "cdnpub.json";
  private static final Pattern SECRET_FIELD =
      Pattern.compile(".*(secret|token|password|accesskey|access_key|apikey|api_key).*");

  private final JsonNode root;
  private final String source;

  private ConfigFile(JsonNode root, String source) {
    this.root = root;
    this.source = source;
  }

  public static ConfigFile empty() {
    return new ConfigFile(MissingNode.getInstance(), "no config file");
  }

  /** Reads {@code explicit} (must exist) or else {@code cdnpub.json} in {@code workDir} if present. */
  public static ConfigFile load(Path explicit, Path workDir) {
    Path path = explicit != null ? workDir.resolve(explicit) : workDir.resolve(DEFAULT_NAME);
    if (!Files.exists(path)) {
      if (explicit != null) {
        throw CdnpubException.usage("config file " + explicit + " does not exist.");
      }
      return empty();
    }
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(path.toFile());
    } catch (IOException e) {
      throw CdnpubException.usage("config file " + path + " is not valid JSON: " + firstLine(e.getMessage()));
    }
    if (root == null || !root.isObject()) {
      throw CdnpubException.usage("config file " + path + " must hold one JSON object.");
    }
    refuseSecrets(root, "", path);
    return new ConfigFile(root, path.getFileName().toString());
  }

  private static void refuseSecrets(JsonNode node, String prefix, Path path) {
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String name = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
      if (SECRET_FIELD.matcher(field.getKey().toLowerCase(Locale.ROOT)).matches()) {
        throw CdnpubException.usage(
            "config file " + path + " holds '" + name
                + "', but secrets are read only from the environment (R2_ACCESS_KEY_ID, R2_SECRET_ACCESS_KEY, CLOUDFLARE_API_TOKEN); remove it.");
      }
      if (field.getValue().isObject()) {
        refuseSecrets(field.getValue(), name, path);
      }
    }
  }

  /** The text at a dotted path such as {@code r2.bucket}, or null when absent. */
  public String get(String dottedPath) {
    JsonNode node = root;
    for (String part : dottedPath.split("\\.")) {
      node = node.path(part);
    }
    return node.isValueNode() && !node.isNull() ? node.asText() : null;
  }

  public boolean has(String section) {
    return root.path(section).isObject();
  }

  /** Where a value came from, for messages: "cdnpub.json (r2.bucket)". */
  public String describe(String dottedPath) {
    return source + " (" + dottedPath + ")";
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("");
  }
}

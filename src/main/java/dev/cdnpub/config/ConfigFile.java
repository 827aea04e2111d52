package dev.cdnpub.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.cdnpub.core.CdnpubException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code cdnpub.json}: non-secret settings checked into the project, bound strictly to {@link
 * ConfigSchema}. An unknown key or a value of the wrong JSON type is refused with one sentence
 * naming the key; a field that looks like a secret is refused, because a file in the repository is
 * exactly where secrets leak from.
 */
public final class ConfigFile {
  public static final String DEFAULT_NAME = "cdnpub.json";
  private static final Pattern SECRET_FIELD =
      Pattern.compile(".*(secret|token|password|accesskey|access_key|apikey|api_key).*");

  /**
   * Jackson as a strict checker: no unknown keys, no coercion between strings, numbers and
   * booleans.
   */
  private static final ObjectMapper STRICT =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .withCoercionConfig(
              LogicalType.Textual,
              c ->
                  c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                      .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                      .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
          .build();

  /**
   * Every key of the schema with its type, dotted ("r2.bucket"), sections included, in schema
   * order.
   */
  private static final Map<String, JavaType> SCHEMA = new LinkedHashMap<>();

  static {
    collect(STRICT.constructType(ConfigSchema.class), "");
  }

  /**
   * The keys that hold values (not sections), dotted, in schema order: what docs/publish.md lists.
   */
  static final List<String> KEYS =
      SCHEMA.entrySet().stream()
          .filter(e -> !e.getValue().isRecordType())
          .map(Map.Entry::getKey)
          .toList();

  private final JsonNode root;
  private final String name;

  private ConfigFile(JsonNode root, String name) {
    this.root = root;
    this.name = name;
  }

  public static ConfigFile empty() {
    return new ConfigFile(MissingNode.getInstance(), DEFAULT_NAME);
  }

  /**
   * Reads {@code explicit} (must exist) or else {@code cdnpub.json} in {@code workDir} if present.
   * {@code explicit} is already cleaned (trimmed, null when not given).
   */
  public static ConfigFile load(String explicit, Path workDir) {
    Path path;
    try {
      path = workDir.resolve(explicit != null ? explicit : DEFAULT_NAME);
    } catch (InvalidPathException e) {
      throw CdnpubException.usage("--config names no valid path.");
    }
    if (!Files.exists(path)) {
      if (explicit != null) {
        throw CdnpubException.usage("config file " + explicit + " does not exist.");
      }
      return empty();
    }
    JsonNode root;
    try {
      root = STRICT.readTree(path.toFile());
    } catch (JsonProcessingException e) {
      var at = e.getLocation();
      throw CdnpubException.usage(
          "config file "
              + path
              + " is not valid JSON: "
              + firstLine(e.getOriginalMessage())
              + (at == null
                  ? ""
                  : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")")
              + ".");
    } catch (IOException e) {
      throw CdnpubException.usage(
          "config file " + path + " cannot be read (" + firstLine(e.getMessage()) + ").");
    }
    if (root == null || !root.isObject()) {
      throw CdnpubException.usage("config file " + path + " must hold one JSON object.");
    }
    refuseSecrets(root, "", path);
    try {
      STRICT.treeToValue(root, ConfigSchema.class);
    } catch (JsonMappingException e) {
      throw schemaError(path, root, e);
    } catch (JsonProcessingException e) {
      throw CdnpubException.usage(
          "config file " + path + " cannot be used: " + firstLine(e.getOriginalMessage()) + ".");
    }
    return new ConfigFile(root, path.getFileName().toString());
  }

  private static void refuseSecrets(JsonNode node, String prefix, Path path) {
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String name = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
      if (SECRET_FIELD.matcher(field.getKey().toLowerCase(Locale.ROOT)).matches()) {
        throw CdnpubException.usage(
            "config file "
                + path
                + " holds '"
                + name
                + "', but secrets are read only from the environment (R2_ACCESS_KEY_ID, R2_SECRET_ACCESS_KEY, CLOUDFLARE_API_TOKEN); remove it.");
      }
      if (field.getValue().isObject()) {
        refuseSecrets(field.getValue(), name, path);
      }
    }
  }

  /**
   * One sentence for a key the schema does not know or a value of the wrong type; never quotes a
   * value.
   */
  private static CdnpubException schemaError(Path path, JsonNode root, JsonMappingException e) {
    List<String> parts = new ArrayList<>();
    JsonNode node = root;
    for (JsonMappingException.Reference ref : e.getPath()) {
      String part = ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]";
      parts.add(part);
      node = node.path(part);
    }
    String key = String.join(".", parts);
    String file = "config file " + path;
    if (e instanceof UnrecognizedPropertyException unknown) {
      String section = parts.size() > 1 ? String.join(".", parts.subList(0, parts.size() - 1)) : "";
      String guess = NearMiss.closest(unknown.getPropertyName(), children(section));
      if (guess != null) {
        guess = section.isEmpty() ? guess : section + "." + guess;
      } else {
        // a key in the wrong section: "bucket" at the top level is r2.bucket
        guess = NearMiss.closestKey(unknown.getPropertyName(), SCHEMA.keySet());
      }
      return CdnpubException.usage(
          file
              + " has an unknown key '"
              + key
              + "'"
              + (guess != null
                  ? "; did you mean '" + guess + "'?"
                  : "; the keys "
                      + (section.isEmpty() ? "at the top level" : "of '" + section + "'")
                      + " are "
                      + String.join(", ", children(section))
                      + "."));
    }
    JavaType expected = SCHEMA.get(key);
    if (e instanceof MismatchedInputException && expected != null) {
      return CdnpubException.usage(
          file
              + ": '"
              + key
              + "' must be "
              + describe(expected, key)
              + ", not "
              + describe(node)
              + ".");
    }
    return CdnpubException.usage(
        file + ": '" + key + "' cannot be used: " + firstLine(e.getOriginalMessage()) + ".");
  }

  private static void collect(JavaType type, String prefix) {
    for (BeanPropertyDefinition p :
        STRICT.getDeserializationConfig().introspect(type).findProperties()) {
      String key = prefix + p.getName();
      SCHEMA.put(key, p.getPrimaryType());
      if (p.getPrimaryType().isRecordType()) {
        collect(p.getPrimaryType(), key + ".");
      }
    }
  }

  /** The keys directly inside a section ("" for the top level), in schema order. */
  private static List<String> children(String section) {
    String prefix = section.isEmpty() ? "" : section + ".";
    return SCHEMA.keySet().stream()
        .filter(k -> k.startsWith(prefix) && k.indexOf('.', prefix.length()) < 0)
        .map(k -> k.substring(prefix.length()))
        .toList();
  }

  private static String describe(JavaType type, String key) {
    if (type.isRecordType()) {
      return "an object with the keys " + String.join(", ", children(key));
    }
    if (type.getRawClass() == String.class) {
      return "a string";
    }
    if (type.getRawClass() == Long.class) {
      return "a whole number";
    }
    return type.getRawClass().getSimpleName();
  }

  private static String describe(JsonNode node) {
    return switch (node.getNodeType()) {
      case STRING -> "a string";
      case NUMBER -> node.isIntegralNumber() ? "a whole number" : "a decimal number";
      case BOOLEAN -> "a boolean";
      case ARRAY -> "an array";
      case OBJECT, POJO -> "an object";
      default -> "null";
    };
  }

  /** The raw text at a dotted key of the schema, such as {@code r2.bucket}, or null when absent. */
  public String get(String key) {
    JavaType type = SCHEMA.get(key);
    if (type == null || type.isRecordType()) {
      throw new IllegalArgumentException(
          key + " is not a key of cdnpub.json; declare it in ConfigSchema");
    }
    JsonNode node = root;
    for (String part : key.split("\\.")) {
      node = node.path(part);
    }
    return node.isValueNode() && !node.isNull() ? node.asText() : null;
  }

  /** Whether the file has the section (an object, possibly empty) named {@code section}. */
  public boolean has(String section) {
    JavaType type = SCHEMA.get(section);
    if (type == null || !type.isRecordType()) {
      throw new IllegalArgumentException(section + " is not a section of cdnpub.json");
    }
    return root.path(section).isObject();
  }

  /** The file's name for messages: "cdnpub.json", or the name given with --config. */
  public String name() {
    return name;
  }

  /** Where a value came from, for messages: "cdnpub.json (r2.bucket)". */
  public String describe(String dottedPath) {
    return name + " (" + dottedPath + ")";
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("");
  }
}

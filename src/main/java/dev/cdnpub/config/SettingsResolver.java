package dev.cdnpub.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdnpub.core.CdnpubException;
import dev.cdnpub.publish.LibraryName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** The one place where flags, environment, {@code cdnpub.json} and defaults become {@link Settings}. */
public final class SettingsResolver {
  public static final String DEFAULT_LOCAL_DIR = ".cdnpub";

  private final Map<String, String> env;
  private final Path workDir;

  public SettingsResolver(Map<String, String> env, Path workDir) {
    this.env = env;
    this.workDir = workDir;
  }

  /** Flags that take part in resolution; each is null when not given. */
  public record Flags(Path configFile, String target, Path localDir, String library) {
    public static Flags none() {
      return new Flags(null, null, null, null);
    }
  }

  public Settings resolve(Flags flags) {
    ConfigFile config = ConfigFile.load(flags.configFile() == null ? null : flags.configFile().toString(), workDir);

    TargetKind target;
    String targetSource;
    if (flags.target() != null) {
      target = parseTarget(flags.target(), "--target");
      targetSource = "--target";
    } else if (!Settings.blank(env.get("CDNPUB_TARGET"))) {
      target = parseTarget(env.get("CDNPUB_TARGET"), "CDNPUB_TARGET");
      targetSource = "CDNPUB_TARGET";
    } else if (flags.localDir() != null) {
      target = TargetKind.LOCAL;
      targetSource = "--local-dir";
    } else if (config.get("target") != null) {
      target = parseTarget(config.get("target"), config.describe("target"));
      targetSource = config.describe("target");
    } else if (config.has("r2")) {
      target = TargetKind.R2;
      targetSource = config.describe("r2");
    } else if (!Settings.blank(env.get("CDNPUB_R2_BUCKET"))) {
      target = TargetKind.R2;
      targetSource = "CDNPUB_R2_BUCKET";
    } else {
      target = TargetKind.LOCAL;
      targetSource = null;
    }

    String localText = flags.localDir() != null ? flags.localDir().toString() : null;
    if (localText == null && !Settings.blank(env.get("CDNPUB_LOCAL_DIR"))) {
      localText = env.get("CDNPUB_LOCAL_DIR");
    }
    if (localText == null) {
      localText = config.get("local.dir");
    }
    Path localDir = workDir.resolve(localText != null ? localText : DEFAULT_LOCAL_DIR).normalize();

    String library = null;
    String librarySource = null;
    if (flags.library() != null) {
      library = flags.library();
      librarySource = "--library";
    } else if (!Settings.blank(env.get("CDNPUB_LIBRARY"))) {
      library = env.get("CDNPUB_LIBRARY");
      librarySource = "CDNPUB_LIBRARY";
    } else if (config.get("library") != null) {
      library = config.get("library");
      librarySource = config.describe("library");
    } else {
      String fromPackage = packageJsonName();
      if (fromPackage != null) {
        library = LibraryName.stripScope(fromPackage);
        librarySource = "package.json (name)";
      }
    }
    if (library != null) {
      LibraryName.validate(library, librarySource);
    }
    return new Settings(env, config, target, targetSource, localDir, library, librarySource);
  }

  private String packageJsonName() {
    Path pkg = workDir.resolve("package.json");
    if (!Files.isRegularFile(pkg)) {
      return null;
    }
    try {
      JsonNode name = new ObjectMapper().readTree(pkg.toFile()).path("name");
      return name.isTextual() && !name.asText().isBlank() ? name.asText() : null;
    } catch (IOException e) {
      throw CdnpubException.usage("package.json in " + workDir + " is not valid JSON; give --library instead.");
    }
  }

  private static TargetKind parseTarget(String text, String source) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "local" -> TargetKind.LOCAL;
      case "r2" -> TargetKind.R2;
      default -> throw CdnpubException.usage(
          "target '" + text + "' from " + source + " is not one of: local, r2.");
    };
  }
}

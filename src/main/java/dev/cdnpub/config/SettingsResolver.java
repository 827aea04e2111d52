package dev.cdnpub.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdnpub.core.CdnpubException;
import dev.cdnpub.core.Jackson;
import dev.cdnpub.core.LibraryName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The one place where flags, environment, {@code cdnpub.json} and defaults become {@link Settings}.
 */
public final class SettingsResolver {
  public static final String DEFAULT_LOCAL_DIR = ".cdnpub";

  private final Map<String, String> env;
  private final Path workDir;

  public SettingsResolver(Map<String, String> env, Path workDir) {
    this.env = env;
    this.workDir = workDir;
  }

  /** Flags that take part in resolution, as typed; each is null when not given. */
  public record Flags(String configFile, String target, String localDir, String library) {
    public static Flags none() {
      return new Flags(null, null, null, null);
    }
  }

  public Settings resolve(Flags flags) {
    ConfigFile config = ConfigFile.load(Settings.clean(flags.configFile()), workDir);

    Settings.Found chosen =
        Settings.find(flags.target(), "--target", env, "CDNPUB_TARGET", config, null);
    Settings.Found local =
        Settings.find(
            flags.localDir(), "--local-dir", env, "CDNPUB_LOCAL_DIR", config, "local.dir");
    Settings.Found fromConfig = Settings.find(null, null, env, null, config, "target");
    TargetKind target;
    String targetSource;
    if (chosen != null) {
      target = parseTarget(chosen);
      targetSource = chosen.source();
    } else if (local != null && local.source().equals("--local-dir")) {
      target = TargetKind.LOCAL;
      targetSource = "--local-dir";
    } else if (fromConfig != null) {
      target = parseTarget(fromConfig);
      targetSource = fromConfig.source();
    } else if (config.has("r2")) {
      target = TargetKind.R2;
      targetSource = config.describe("r2");
    } else if (Settings.clean(env.get("CDNPUB_R2_BUCKET")) != null) {
      target = TargetKind.R2;
      targetSource = "CDNPUB_R2_BUCKET";
    } else {
      target = TargetKind.LOCAL;
      targetSource = null;
    }

    Path localDir;
    try {
      localDir = workDir.resolve(local != null ? local.value() : DEFAULT_LOCAL_DIR).normalize();
    } catch (InvalidPathException e) {
      throw CdnpubException.usage(
          "the local store folder from " + local.source() + " is not a valid path.");
    }

    Settings.Found library =
        Settings.find(flags.library(), "--library", env, "CDNPUB_LIBRARY", config, "library");
    if (library == null) {
      String fromPackage = packageJsonText("name");
      if (fromPackage != null) {
        library = new Settings.Found(LibraryName.stripScope(fromPackage), "package.json (name)");
      }
    }
    if (library != null) {
      LibraryName.validate(library.value(), library.source());
    }
    return new Settings(
        env,
        config,
        target,
        targetSource,
        localDir,
        local == null ? null : local.source(),
        library == null ? null : library.value(),
        library == null ? null : library.source(),
        this::packageJsonText);
  }

  /** A text field of ./package.json (read only when a setting falls back to it), or null. */
  private String packageJsonText(String field) {
    Path pkg = workDir.resolve("package.json");
    if (!Files.isRegularFile(pkg)) {
      return null;
    }
    try {
      JsonNode value = Jackson.MAPPER.readTree(pkg.toFile()).path(field);
      return value.isTextual() ? Settings.clean(value.asText()) : null;
    } catch (IOException e) {
      throw CdnpubException.usage(
          "package.json in "
              + workDir
              + " is not valid JSON; give --library and --version instead.");
    }
  }

  private static TargetKind parseTarget(Settings.Found found) {
    return switch (found.value().toLowerCase(Locale.ROOT)) {
      case "local" -> TargetKind.LOCAL;
      case "r2" -> TargetKind.R2;
      default ->
          throw CdnpubException.usage(
              "target '"
                  + found.value()
                  + "' from "
                  + found.source()
                  + " is not one of: local, r2.");
    };
  }
}

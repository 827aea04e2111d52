package dev.cdnpub.cli;

import dev.cdnpub.config.SettingsResolver;
import picocli.CommandLine.Option;

/** Where to publish and which library: shared by every command that touches a store. */
public final class TargetOptions {
  @Option(
      names = "--library",
      paramLabel = "NAME",
      description =
          "Library name (one URL path segment). Default: CDNPUB_LIBRARY, then \"library\" in cdnpub.json, then the name in ./package.json without its scope.")
  String library;

  @Option(
      names = "--target",
      paramLabel = "local|r2",
      description =
          "Where releases go. Default: CDNPUB_TARGET, then cdnpub.json; the local store when nothing names R2 (refused in CI).")
  String target;

  @Option(
      names = "--local-dir",
      paramLabel = "DIR",
      description =
          "Folder of the local store (default .cdnpub in the working folder; CDNPUB_LOCAL_DIR).")
  String localDir;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Settings file (default ./cdnpub.json if present).")
  String config;

  SettingsResolver.Flags flags() {
    return new SettingsResolver.Flags(config, target, localDir, library);
  }
}

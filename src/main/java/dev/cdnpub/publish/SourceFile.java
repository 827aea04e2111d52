package dev.cdnpub.publish;

import java.nio.file.Path;

/** One file found in the build folder: its path relative to the folder (with '/') and on disk. */
public record SourceFile(String relativePath, Path path) {}

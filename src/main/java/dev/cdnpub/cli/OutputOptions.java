package dev.cdnpub.cli;

import picocli.CommandLine.Option;

/** How results are shown. */
public final class OutputOptions {
  @Option(names = "--json", description = "Print one JSON object on stdout instead of text.")
  boolean json;

  @Option(
      names = "--verbose",
      description = "On failure, also print the cause chain (secrets are still hidden).")
  boolean verbose;
}

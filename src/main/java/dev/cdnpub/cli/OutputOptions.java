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

  // Read by Cli from the raw arguments (it silences the console before the command runs); declared
  // here so that every command accepts it and --help lists it.
  @Option(
      names = {"-q", "--quiet"},
      description = "Print nothing on success; a failure still prints its sentence on stderr.")
  boolean quiet;
}

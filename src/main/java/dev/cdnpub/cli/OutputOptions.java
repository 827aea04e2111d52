package dev.cdnpub.cli;

import picocli.CommandLine.Option;

/** How results are shown. */
public final class OutputOptions {
  @Option(names = "--json", description = "Print one JSON object on stdout instead of text.")
  boolean json;

  @Option(
      names = "--verbose",
      description =
          "On failure, also print the cause chain (secrets are still hidden); publish also prints"
              + " the JVM's settings and how many uploads it keeps in flight.")
  boolean verbose;

  // Read by Cli from the raw arguments (it gives each command its quiet console before the command
  // runs, see AnswerCommand); declared here so that every command accepts it and --help lists it.
  @Option(
      names = {"-q", "--quiet"},
      description =
          "No notes, warnings or progress, and no report of a success; a command whose output is"
              + " the answer still prints it, and a failure still prints its sentence on stderr.")
  boolean quiet;
}

package dev.cdnpub.cli;

import java.util.List;
import picocli.CommandLine.Command;

@Command(
    name = "cdnpub",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "Immutable, versioned releases of a JavaScript library to Cloudflare R2, with moving aliases.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:internal error",
      "2:usage or configuration error (nothing was changed)",
      "3:conflict: the version exists or is claimed with other content, or a concurrent writer won",
      "4:not found (version, alias or bucket)",
      "5:remote service failed (network, 5xx, 429 after retries)",
      "6:authentication or permission refused (401/403)",
      "7:verification failed: files or alias redirects differ from the manifest (cdnpub verify)"
    })
final class CdnpubCommand implements Runnable {
  /**
   * The commands, in the order help lists them. Not in the annotation: picocli builds the model of
   * every annotated subcommand up front (reflection, run interpreted in a fresh JVM: ~0.1 s of the
   * critical path of every command), so {@link Cli} adds only the one a command line names, and all
   * of them for anything else (help, completion, suggestions for a mistyped name).
   */
  static final List<Class<?>> SUBCOMMANDS =
      List.of(
          PublishCommand.class,
          AliasCommand.class,
          RollbackCommand.class,
          YankCommand.class,
          VersionsCommand.class,
          ShowCommand.class,
          VerifyCommand.class,
          SnippetCommand.class,
          ServeCommand.class,
          WorkerCommand.class,
          CompletionCommand.class);

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  CdnpubCommand(RunContext ctx) {}

  @Override
  public void run() {
    // Named from the registered subcommands, so that the list cannot leave one out.
    java.util.List<String> names = java.util.List.copyOf(spec.subcommands().keySet());
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(),
        "a command is needed: "
            + String.join(", ", names.subList(0, names.size() - 1))
            + " or "
            + names.get(names.size() - 1)
            + " (see cdnpub --help).");
  }
}

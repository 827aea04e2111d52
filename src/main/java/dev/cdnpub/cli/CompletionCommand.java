package dev.cdnpub.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdnpub.core.CdnpubException;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "completion",
    description = {
      "Print a shell completion script for cdnpub.",
      "Bash: source <(cdnpub completion bash). Zsh: source <(cdnpub completion zsh)."
    })
final class CompletionCommand implements Callable<Integer>, AnswerCommand {
  private final RunContext ctx;

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "SHELL",
      defaultValue = "bash",
      description = "bash or zsh (default ${DEFAULT-VALUE}).")
  String shell;

  @Mixin OutputOptions output;

  @Mixin HelpOption help;

  CompletionCommand(RunContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    // picocli writes the script from the command model, so it always matches the commands.
    String bash = AutoComplete.bash("cdnpub", spec.root().commandLine());
    String script =
        switch (shell) {
          case "bash" -> bash;
          case "zsh" ->
              "autoload -U +X compinit && compinit\n"
                  + "autoload -U +X bashcompinit && bashcompinit\n"
                  + bash;
          default ->
              throw CdnpubException.usage("completion is for bash or zsh, not '" + shell + "'.");
        };
    if (output.json) {
      ObjectNode json = Json.object();
      json.put("shell", shell);
      json.put("script", script);
      ctx.console().json(json);
    } else {
      ctx.console().out(script);
    }
    return 0;
  }
}

package dev.cdnpub.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdnpub.app.MakeSnippet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "snippet",
    description = {
      "Print the HTML to paste into a page: the script tag for a version or an alias.",
      "A version is pinned with its SRI hash; an alias is not (its bytes change at the next move)."
    })
final class SnippetCommand implements Callable<Integer>, AnswerCommand {
  private final RunContext ctx;

  @Parameters(
      index = "0",
      paramLabel = "ALIAS|VERSION",
      description = "An alias (latest, v1, v1.2, next) or a sealed version (1.2.3).")
  String target;

  @Option(
      names = "--entry",
      paramLabel = "FILE",
      description =
          "The file the page loads, relative to the release. Default: entry in cdnpub.json, then"
              + " browser/module/main of package.json, then the only .js/.mjs at the top.")
  String entry;

  @Option(
      names = "--element",
      paramLabel = "TAG",
      description = "Also print this element (a custom element such as chatleo-widget).")
  String element;

  @Option(
      names = "--base-url",
      paramLabel = "URL",
      description =
          "The CDN's address. Default: CDNPUB_PUBLIC_URL, then publicUrl in cdnpub.json; for the"
              + " local store, "
              + MakeSnippet.LOCAL_BASE_URL
              + ".")
  String baseUrl;

  @Mixin TargetOptions targetOptions;
  @Mixin OutputOptions output;

  @Mixin HelpOption help;

  SnippetCommand(RunContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    MakeSnippet.Result result =
        new MakeSnippet(ctx.app())
            .run(new MakeSnippet.Request(targetOptions.flags(), target, entry, element, baseUrl));
    if (output.json) {
      ObjectNode json = Json.object();
      json.put("url", result.url());
      if (result.integrity() == null) {
        json.putNull("integrity");
      } else {
        json.put("integrity", result.integrity());
      }
      json.put("pinned", result.pinned());
      json.put("entry", result.entry());
      json.put("version", result.version());
      json.put("html", result.html());
      json.put("yanked", result.yank().isPresent());
      if (result.yank().isPresent()) {
        ObjectNode yank = json.putObject("yank");
        yank.put("at", result.yank().get().at());
        yank.put("actor", result.yank().get().actor());
        yank.put("reason", result.yank().get().reason());
      } else {
        json.putNull("yank");
      }
      ctx.console().json(json);
      yankNote(result);
      return 0;
    }
    ctx.console().out(result.html());
    yankNote(result);
    if (!result.pinned()) {
      ctx.console()
          .err(
              "note: no integrity attribute, because "
                  + target
                  + " moves (now "
                  + result.version()
                  + "); pin a version ("
                  + result.hints().command("snippet " + result.version())
                  + ") for SRI.");
    }
    return 0;
  }

  /**
   * A yanked version still serves its files, so the tag works, but the release was withdrawn: say
   * so on stderr, with the reason, whether it was asked for by version or reached through an alias
   * moved onto it with --force.
   */
  private void yankNote(MakeSnippet.Result result) {
    result
        .yank()
        .ifPresent(
            y ->
                ctx.console()
                    .err(
                        "note: "
                            + (result.pinned() ? "" : target + " points at ")
                            + result.version()
                            + (result.pinned() ? " is yanked: " : ", which is yanked: ")
                            + y.reason()
                            + "; its files stay, but it was withdrawn: pick another version ("
                            + result.hints().command("versions")
                            + ")."));
  }
}

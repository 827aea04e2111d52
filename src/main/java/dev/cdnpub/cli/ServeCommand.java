package dev.cdnpub.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdnpub.app.MakeSnippet;
import dev.cdnpub.app.ServeStore;
import dev.cdnpub.serve.RequestLog;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "serve",
    description = {
      "Serve the store over HTTP as the CDN does: alias URLs redirected as the resolver Worker"
          + " does, pinned URLs answered as the public bucket does.",
      "Runs until Ctrl-C (or SIGTERM); alias moves are seen at once."
    })
final class ServeCommand implements Callable<Integer>, AnswerCommand {
  private final RunContext ctx;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "Port to listen on (default " + ServeStore.DEFAULT_PORT + "; 0: any free one).")
  int port = ServeStore.DEFAULT_PORT;

  @Option(
      names = "--host",
      paramLabel = "ADDRESS",
      description =
          "Address to listen on (default "
              + ServeStore.DEFAULT_HOST
              + ", this machine only; another one is reachable from the network).")
  String host = ServeStore.DEFAULT_HOST;

  @Mixin TargetOptions targetOptions;
  @Mixin OutputOptions output;

  @Mixin HelpOption help;

  ServeCommand(RunContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() throws InterruptedException {
    Console console = ctx.console();
    // One line per answer; not with --json, whose one object is the startup result, nor with
    // --quiet, which keeps only the line that says where it listens. Trouble (no connection can be
    // accepted) goes to stderr, also with --json; --quiet drops it as it drops every warning.
    boolean answers = !output.json && !output.quiet;
    RequestLog log =
        new RequestLog() {
          @Override
          public void answered(String method, String target, int status, String location) {
            if (answers) {
              console.out(
                  method
                      + " "
                      + target
                      + " "
                      + status
                      + (location == null ? "" : " -> " + location));
            }
          }

          @Override
          public void trouble(String line) {
            if (!output.quiet) {
              console.err("cdnpub serve: " + line);
            }
          }
        };
    ServeStore.Serving serving =
        new ServeStore(ctx.app())
            .start(new ServeStore.Request(targetOptions.flags(), host, port, log));
    // Ctrl-C and SIGTERM run the shutdown hooks: stop accepting, let requests in flight finish.
    Thread stop =
        new Thread(
            () -> {
              serving.close();
              console.err("cdnpub: stopped serving " + serving.url() + ".");
            },
            "cdnpub-serve-stop");
    Runtime.getRuntime().addShutdownHook(stop);
    if (!serving.loopback()) {
      console.err(
          "warning: listening on "
              + serving.url()
              + ", which other machines can reach: anyone who can reach it can read every file in "
              + serving.storeDescription()
              + ".");
    }
    if (output.json) {
      ObjectNode json = Json.object();
      json.put("url", serving.url());
      json.put("store", serving.storeDescription());
      json.put("aliases", serving.aliasesDescription());
      json.put("loopback", serving.loopback());
      if (serving.exampleUrl().isPresent()) {
        json.put("example", serving.exampleUrl().get());
      } else {
        json.putNull("example");
      }
      console.json(json);
    } else {
      // serve's answer, so --quiet keeps it: it says the port that --port 0 chose
      console.out("Serving " + serving.storeDescription() + " at " + serving.url() + "/");
      if (!output.quiet) {
        startupNotes(console, serving);
      }
    }
    serving.awaitStopped();
    return 0;
  }

  private static void startupNotes(Console console, ServeStore.Serving serving) {
    console.out("  aliases from " + serving.aliasesDescription());
    if (!serving.url().equals(MakeSnippet.LOCAL_BASE_URL)) {
      console.out(
          "  cdnpub snippet and verify --public assume "
              + MakeSnippet.LOCAL_BASE_URL
              + " for the local store: give them --base-url "
              + serving.url());
    }
    serving
        .exampleUrl()
        .ifPresentOrElse(
            url -> console.out("  try " + url),
            () ->
                console.out(
                    "  no alias yet: publish a version, then open /latest/{library}/{file}"));
    console.out("Press Ctrl-C to stop.");
  }
}

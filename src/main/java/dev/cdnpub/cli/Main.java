package dev.cdnpub.cli;

import dev.cdnpub.app.ApiFactory;
import dev.cdnpub.app.StoreFactory;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/** The process entry point: the only place that reads the real environment and exits. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    Map<String, String> env = new HashMap<>(System.getenv());
    // "else the user name" for the alias history: USER is unset in some containers and CI images.
    env.putIfAbsent("USER", System.getProperty("user.name"));
    RunContext ctx =
        new RunContext(
            env,
            Path.of("").toAbsolutePath(),
            new Console(out, err, env),
            Clock.systemUTC(),
            StoreFactory.DEFAULT,
            ApiFactory.DEFAULT);
    int code = new Cli(ctx).run(args);
    out.flush();
    err.flush();
    System.exit(code);
  }
}

package dev.cdnpub.cli;

import dev.cdnpub.app.ApiFactory;
import dev.cdnpub.app.StoreFactory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
            new Console(out, err, env, stderrIsTerminal()),
            Clock.systemUTC(),
            StoreFactory.DEFAULT,
            ApiFactory.DEFAULT);
    int code = new Cli(ctx).run(args);
    out.flush();
    err.flush();
    System.exit(code);
  }

  /** Set by scripts/cdnpub from the shell's {@code [ -t 2 ]}: whether stderr is a terminal. */
  static final String STDERR_TERMINAL_PROPERTY = "cdnpub.stderrTerminal";

  /**
   * Whether stderr reaches a terminal. Java 17 can only ask whether stdin and stdout both do
   * ({@code System.console()}), so the launcher answers with {@code
   * -Dcdnpub.stderrTerminal=true|false} (its shell's {@code [ -t 2 ]}); when the jar is run without
   * the launcher, Linux tells through {@code /proc/self/fd/2}, a link to {@code /dev/pts/N} or
   * {@code /dev/ttyN} for a terminal. Anywhere else the answer is no: a progress line is never
   * drawn into a pipe or a log by mistake.
   */
  static boolean stderrIsTerminal() {
    String told = System.getProperty(STDERR_TERMINAL_PROPERTY);
    if (told != null) {
      return Boolean.parseBoolean(told);
    }
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return false;
    }
  }
}

package dev.cdnpub.testing;

import dev.cdnpub.cli.Main;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code cdnpub serve} as a real child process (its own JVM, the test's class path), so that the
 * startup lines, a signal and the exit are the real ones. Every wait is bounded; {@link #close}
 * kills whatever is still running.
 */
public final class ServeProcess implements AutoCloseable {
  private static final Pattern URL = Pattern.compile("(http://[0-9.]+:([0-9]+))");
  private static final long START_SECONDS = 60;

  private final Process process;
  private final Path stderr;
  private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> startup = new ArrayList<>();
  private final List<String> later = new ArrayList<>();
  private final String url;

  private ServeProcess(Process process, Path stderr, String lastStartupLine) throws Exception {
    this.process = process;
    this.stderr = stderr;
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  lines.add(line);
                }
              } catch (IOException ignored) {
                // the child is gone
              }
            },
            "serve-process-stdout");
    reader.setDaemon(true);
    reader.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
    String found = null;
    while (true) {
      long left = deadline - System.nanoTime();
      String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
      if (line == null) {
        close();
        throw new IllegalStateException(
            "cdnpub serve did not start: " + startup + " / " + stderr());
      }
      startup.add(line);
      Matcher m = URL.matcher(line);
      if (found == null && m.find()) {
        found = m.group(1);
      }
      if (line.contains(lastStartupLine)) {
        break;
      }
    }
    this.url = found;
  }

  /**
   * Starts {@code cdnpub serve args…} in {@code workDir} with {@code env} added to this process's
   * environment, and waits for the line containing {@code lastStartupLine}.
   */
  public static ServeProcess start(
      Path workDir, Map<String, String> env, String lastStartupLine, String... args)
      throws Exception {
    return start(workDir, env, List.of(), lastStartupLine, args);
  }

  /** As {@link #start}, with {@code jvmOptions} (e.g. {@code -Xmx48m}) for the child's JVM. */
  public static ServeProcess start(
      Path workDir,
      Map<String, String> env,
      List<String> jvmOptions,
      String lastStartupLine,
      String... args)
      throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(jvmOptions);
    command.addAll(
        List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve"));
    command.addAll(List.of(args));
    Path stderr = Files.createTempFile(workDir, "serve", ".err");
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(workDir.toFile()).redirectError(stderr.toFile());
    pb.environment().remove("CI");
    pb.environment().putAll(env);
    return new ServeProcess(pb.start(), stderr, lastStartupLine);
  }

  /** The URL from the first startup line that has one (http://127.0.0.1:PORT). */
  public String url() {
    return url;
  }

  public int port() {
    return Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
  }

  /** The child's process id. */
  public long pid() {
    return process.pid();
  }

  /** The stdout lines up to and including the last startup line. */
  public List<String> startupLines() {
    return List.copyOf(startup);
  }

  public String stderr() {
    try {
      return Files.readString(stderr);
    } catch (IOException e) {
      return "(stderr unreadable: " + e + ")";
    }
  }

  /** Sends SIGTERM and waits (bounded) for the exit; returns the exit code. */
  public int terminate() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("cdnpub serve did not stop within 30 s of SIGTERM");
    }
    return process.exitValue();
  }

  /** Stdout lines after the startup ones, as far as they have arrived. */
  public List<String> laterLines() {
    lines.drainTo(later);
    return List.copyOf(later);
  }

  /**
   * Waits (at most {@code seconds}) for a stdout line after the startup ones that contains {@code
   * text}; fails with every line seen when none comes.
   */
  public String awaitLine(String text, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    for (String line : laterLines()) {
      if (line.contains(text)) {
        return line;
      }
    }
    while (true) {
      long left = deadline - System.nanoTime();
      String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
      if (line == null) {
        throw new AssertionError("no line with " + text + " within " + seconds + " s: " + later);
      }
      later.add(line);
      if (line.contains(text)) {
        return line;
      }
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}

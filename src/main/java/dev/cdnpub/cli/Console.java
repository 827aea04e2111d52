package dev.cdnpub.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The only way cdnpub writes to the terminal. Every line passes through {@link #redact}, which
 * replaces the values of the secret environment variables, so that no message, however it was built
 * (an SDK exception, a stack trace with {@code --verbose}), can print a secret.
 */
public final class Console {
  /** Environment variables whose values are secret. */
  public static final List<String> SECRET_VARIABLES =
      List.of(
          "R2_ACCESS_KEY_ID",
          "R2_SECRET_ACCESS_KEY",
          "AWS_ACCESS_KEY_ID",
          "AWS_SECRET_ACCESS_KEY",
          "AWS_SESSION_TOKEN",
          "CLOUDFLARE_API_TOKEN");

  private final PrintWriter out;
  private final PrintWriter err;
  private final List<String> secrets;
  private final boolean errTerminal;
  private final UnaryOperator<ObjectNode> jsonResult;

  private Console(
      PrintWriter out,
      PrintWriter err,
      List<String> secrets,
      boolean errTerminal,
      UnaryOperator<ObjectNode> jsonResult) {
    this.out = out;
    this.err = err;
    this.secrets = secrets;
    this.errTerminal = errTerminal;
    this.jsonResult = jsonResult;
  }

  /**
   * This console under {@code --quiet}: the chatter on stderr (notes, warnings, plan lines,
   * progress) is dropped, and so is stdout unless {@code keepAnswer} (the command's output is its
   * answer, see {@link AnswerCommand}). A failure's sentence is printed by {@link Cli} on the
   * console it was given, never on this one.
   */
  Console quiet(boolean keepAnswer) {
    PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
    return new Console(keepAnswer ? out : nowhere, nowhere, secrets, false, jsonResult);
  }

  /**
   * This console with {@code complete} applied to every object given to {@link #json}: {@link Cli}
   * adds the fields every result carries there ({@code command}, {@code status}, {@code exitCode}).
   */
  Console completingJson(UnaryOperator<ObjectNode> complete) {
    return new Console(out, err, secrets, errTerminal, complete);
  }

  /** A console whose stderr is not a terminal (a pipe, a file, a test's buffer). */
  public Console(PrintWriter out, PrintWriter err, Map<String, String> env) {
    this(out, err, env, false);
  }

  /**
   * @param errTerminal whether {@code err} reaches a terminal, so a line may be redrawn in place
   *     (see {@link Main#stderrIsTerminal})
   */
  public Console(PrintWriter out, PrintWriter err, Map<String, String> env, boolean errTerminal) {
    this.out = out;
    this.err = err;
    this.errTerminal = errTerminal;
    this.jsonResult = UnaryOperator.identity();
    this.secrets =
        SECRET_VARIABLES.stream()
            .map(env::get)
            .filter(Objects::nonNull)
            .flatMap(v -> Stream.of(v, v.trim()))
            // shorter values would blank out ordinary words; real keys are far longer
            .filter(v -> v.length() >= 6)
            .distinct()
            .sorted(Comparator.comparingInt(String::length).reversed())
            .toList();
  }

  public String redact(String text) {
    String result = text;
    for (String secret : secrets) {
      result = result.replace(secret, "***");
    }
    return result;
  }

  public void out(String line) {
    out.println(redact(line));
    out.flush();
  }

  /** Prints a command's {@code --json} result: one line, completed as {@link Cli} set up. */
  void json(ObjectNode result) {
    out(Json.write(jsonResult.apply(result)));
  }

  public void err(String line) {
    err.println(redact(line));
    err.flush();
  }

  /** Whether stderr reaches a terminal, where {@link #errInPlace} redraws a line. */
  public boolean errIsTerminal() {
    return errTerminal;
  }

  /**
   * Writes {@code text} on stderr without ending the line (a progress line that starts with a
   * carriage return and is drawn over again); the caller ends it with {@link #err} or a newline.
   */
  void errInPlace(String text) {
    err.print(redact(text));
    err.flush();
  }

  public void errStackTrace(Throwable t) {
    StringWriter buffer = new StringWriter();
    t.printStackTrace(new PrintWriter(buffer));
    err.print(redact(buffer.toString()));
    err.flush();
  }

  PrintWriter rawOut() {
    return out;
  }

  PrintWriter rawErr() {
    return err;
  }
}

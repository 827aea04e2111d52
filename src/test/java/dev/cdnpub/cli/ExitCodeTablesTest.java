package dev.cdnpub.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cdnpub.core.ExitCode;
import dev.cdnpub.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exit codes are written three times (enum, --help, README); the three must agree. */
class ExitCodeTablesTest {
  @TempDir Path work;

  @Test
  void everyExitCode_isListedInHelpAndInTheReadme() throws Exception {
    CliRun help = CliRun.run(work, Map.of(), "--help");
    assertEquals(0, help.exitCode, help.toString());
    String exitCodes = help.out.substring(help.out.indexOf("Exit codes:"));
    String readme = Files.readString(Path.of("README.md"));
    int listed = 0;
    Matcher helpRow = Pattern.compile("(?m)^\\s+(\\d+)\\s+\\S").matcher(exitCodes);
    while (helpRow.find()) {
      listed++;
    }
    assertEquals(ExitCode.values().length, listed, exitCodes);
    for (ExitCode code : ExitCode.values()) {
      assertTrue(
          Pattern.compile("(?m)^\\s+" + code.code() + "\\s+\\S").matcher(exitCodes).find(),
          code + " missing from --help:\n" + exitCodes);
      assertTrue(
          readme.contains("\n| " + code.code() + " | "), code + " missing from README's table");
    }
  }
}

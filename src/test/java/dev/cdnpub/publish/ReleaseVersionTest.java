package dev.cdnpub.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cdnpub.core.CdnpubException;
import dev.cdnpub.core.ExitCode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReleaseVersionTest {
  @ParameterizedTest
  @ValueSource(
      strings = {"1.2.3", "0.0.1", "2.0.0-beta.1", "1.0.0-rc.1.2", "10.20.30", "1.0.0-alpha-1"})
  void parse_strictSemver_isAccepted(String text) {
    assertEquals(text, ReleaseVersion.parse(text).toString());
  }

  @Test
  void parse_leadingV_isDropped() {
    assertEquals("1.2.3", ReleaseVersion.parse("v1.2.3").toString());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "1.2",
        "1",
        "latest",
        "../1",
        "1.2.3/x",
        "",
        " 1.2.3",
        "1.2.3 ",
        "01.2.3",
        "1.02.3",
        "1.2.3-",
        "1.2.3-01",
        "=1.2.3",
        "vv1.2.3",
        "1.2.3+build.5",
        "1.2.3-beta+sha.1",
        "1.2.3\n",
        "V1.2.3",
        "1.2.3-béta"
      })
  void parse_anythingElse_isUsageError(String text) {
    CdnpubException e = assertThrows(CdnpubException.class, () -> ReleaseVersion.parse(text));
    assertEquals(ExitCode.USAGE, e.exitCode());
    assertEquals(1, e.getMessage().lines().count(), "one sentence on one line");
  }

  @Test
  void parse_buildMetadata_saysWhy() {
    CdnpubException e = assertThrows(CdnpubException.class, () -> ReleaseVersion.parse("1.2.3+b1"));
    assertTrue(e.getMessage().contains("build metadata"), e.getMessage());
  }

  @Test
  void compare_followsSemverPrecedence() {
    List<ReleaseVersion> sorted = new ArrayList<>();
    for (String v :
        List.of(
            "1.10.0",
            "1.2.0",
            "1.9.0",
            "1.10.0-rc.1",
            "1.10.0-beta.2",
            "1.10.0-beta.11",
            "0.9.9")) {
      sorted.add(ReleaseVersion.parse(v));
    }
    Collections.sort(sorted);
    assertEquals(
        "[0.9.9, 1.2.0, 1.9.0, 1.10.0-beta.2, 1.10.0-beta.11, 1.10.0-rc.1, 1.10.0]",
        sorted.toString());
  }

  @Test
  void isPrerelease_onlyForHyphenVersions() {
    assertTrue(ReleaseVersion.parse("2.0.0-beta.1").isPrerelease());
    assertFalse(ReleaseVersion.parse("2.0.0").isPrerelease());
  }
}

package dev.cdnpub.alias;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cdnpub.core.CdnpubException;
import dev.cdnpub.core.ExitCode;
import dev.cdnpub.publish.ReleaseVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AliasNameTest {
  @ParameterizedTest
  @CsvSource({
    "latest,LATEST",
    "v0,MAJOR",
    "v1,MAJOR",
    "v12,MAJOR",
    "v1.2,MINOR",
    "v0.9,MINOR",
    "next,TAG",
    "beta,TAG",
    "canary-2,TAG"
  })
  void parse_knownKinds(String text, AliasName.Kind kind) {
    assertEquals(kind, AliasName.parse(text).kind());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "v1.2.3",
        "V1",
        "v01",
        "v1.02",
        "Next",
        "1",
        "-x",
        "a/b",
        "",
        "v1.",
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "v1x"
      })
  void parse_anythingElse_isUsageError(String text) {
    assertEquals(
        ExitCode.USAGE,
        assertThrows(CdnpubException.class, () -> AliasName.parse(text)).exitCode());
  }

  @Test
  void admits_majorAndMinorMustMatch() {
    assertTrue(AliasName.parse("v1").admits(ReleaseVersion.parse("1.9.0")));
    assertFalse(AliasName.parse("v1").admits(ReleaseVersion.parse("2.0.0")));
    assertTrue(AliasName.parse("v1.2").admits(ReleaseVersion.parse("1.2.9")));
    assertFalse(AliasName.parse("v1.2").admits(ReleaseVersion.parse("1.3.0")));
    assertTrue(AliasName.parse("latest").admits(ReleaseVersion.parse("0.0.1")));
    assertTrue(AliasName.parse("next").admits(ReleaseVersion.parse("3.0.0-rc.1")));
  }
}

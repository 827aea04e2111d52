package dev.cdnpub.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LibraryNameTest {
  @ParameterizedTest
  @ValueSource(strings = {"chatleo", "a", "0lib", "my-lib.js", "my_lib"})
  void validate_oneLowerCaseSegment_isAccepted(String name) {
    assertEquals(name, LibraryName.validate(name, "--library"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"ChatLeo", "-lib", ".lib", "_lib", "a/b", "..", "a b", "lib%2F", "@scope/lib", ""})
  void validate_anythingElse_isUsageError(String name) {
    CdnpubException e =
        assertThrows(CdnpubException.class, () -> LibraryName.validate(name, "--library"));
    assertEquals(ExitCode.USAGE, e.exitCode());
  }

  @Test
  void stripScope_dropsNpmScope() {
    assertEquals("chatleo", LibraryName.stripScope("@acme/chatleo"));
    assertEquals("chatleo", LibraryName.stripScope("chatleo"));
  }
}

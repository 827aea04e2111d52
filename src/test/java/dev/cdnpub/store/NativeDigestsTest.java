package dev.cdnpub.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Provider;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeDigestsTest {
  @TempDir Path work;

  /** Debian's OpenJDK 17 depends on libnss3: on such a system native digests must be found. */
  private static boolean nssInstalled() {
    return NativeDigests.candidateFolders().stream()
        .anyMatch(
            f ->
                Files.isRegularFile(f.resolve(System.mapLibraryName("softokn3")))
                    && Files.isRegularFile(f.resolve(System.mapLibraryName("nss3"))));
  }

  @Test
  void onASystemWithNss_theProviderLoads_andItsDigestsEqualTheJdks_atEverySize() throws Exception {
    assumeTrue(nssInstalled(), "NSS is not installed here");
    Optional<Provider> nss = NativeDigests.provider();
    assertTrue(nss.isPresent(), "NSS is installed but did not load");
    assertEquals("SunPKCS11-cdnpub-nss", nss.get().getName());
    Random random = new Random(7);
    for (int size : new int[] {0, 1, 63, 64 * 1024, 64 * 1024 + 1, (1 << 20) + 3}) {
      byte[] bytes = new byte[size];
      random.nextBytes(bytes);
      Path file = Files.write(work.resolve("f" + size), bytes);
      assertEquals(
          Digests.ofFile(file, Optional.empty()), Digests.ofFile(file, nss), "size " + size);
    }
    // a known answer, so that both cannot agree on a wrong value
    Path abc = Files.writeString(work.resolve("abc"), "abc");
    Digests.FileDigests d = Digests.ofFile(abc, nss);
    assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", d.sha256Hex());
    assertEquals("kAFQmDzST7DWlj99KOF/cg==", d.md5Base64());
    assertEquals(
        "ywB1P0WjXou1oD1pmsZQBycsMqsO3tFjGotgWkP/W+2AhgcroefMI1i67KE0yCWn", d.sha384Base64());
  }

  @Test
  void noNssInTheGivenFolders_meansNoProvider_andTheJdksDigests() throws Exception {
    Files.createDirectories(work.resolve("empty"));
    // a folder with files of the right names that are not libraries: loading fails, quietly
    Path fake = Files.createDirectories(work.resolve("fake"));
    Files.writeString(fake.resolve(System.mapLibraryName("softokn3")), "not a library");
    Files.writeString(fake.resolve(System.mapLibraryName("nss3")), "not a library");
    assertFalse(
        NativeDigests.load(List.of(work.resolve("empty"), work.resolve("missing"))).isPresent());
    assertFalse(NativeDigests.load(List.of(fake)).isPresent());
  }

  @Test
  void nativeDigests_areUsedOnlyFromEightMiBToHash() {
    assertFalse(Digests.providerFor(0).isPresent());
    assertFalse(Digests.providerFor(Digests.NATIVE_FROM_BYTES - 1).isPresent());
    assertEquals(NativeDigests.provider(), Digests.providerFor(Digests.NATIVE_FROM_BYTES));
  }
}

package dev.cdnpub.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.Security;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeCryptoTest {
  @TempDir Path work;

  /** Debian's OpenJDK 17 depends on libnss3: on such a system native digests must be found. */
  private static boolean nssInstalled() {
    return NativeCrypto.candidateFolders().stream()
        .anyMatch(
            f ->
                Files.isRegularFile(f.resolve(System.mapLibraryName("softokn3")))
                    && Files.isRegularFile(f.resolve(System.mapLibraryName("nss3"))));
  }

  @Test
  void onASystemWithNss_theProviderLoads_andItsDigestsEqualTheJdks_atEverySize() throws Exception {
    assumeTrue(nssInstalled(), "NSS is not installed here");
    Optional<Provider> nss = NativeCrypto.provider();
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
        NativeCrypto.load(List.of(work.resolve("empty"), work.resolve("missing"))).isPresent());
    assertFalse(NativeCrypto.load(List.of(fake)).isPresent());
  }

  @Test
  void nativeDigests_areUsedOnlyFromEightMiBToHash() {
    assertFalse(Digests.providerFor(0).isPresent());
    assertFalse(Digests.providerFor(Digests.NATIVE_FROM_BYTES - 1).isPresent());
    assertEquals(NativeCrypto.provider(), Digests.providerFor(Digests.NATIVE_FROM_BYTES));
  }

  @Test
  void preferForTransfers_putsNssFirst_forAesGcmAndSha256Only_andTheirResultsEqualTheJdks()
      throws Exception {
    assumeTrue(nssInstalled(), "NSS is not installed here");
    try {
      assertTrue(NativeCrypto.preferForTransfers());
      assertTrue(NativeCrypto.preferForTransfers(), "a second call changes nothing");
      Provider first = Security.getProviders()[0];
      assertEquals(NativeCrypto.TRANSFERS, first.getName());
      assertEquals(
          1, List.of(Security.getProviders()).stream().filter(p -> p == first).count(), "once");
      // exactly the two services: key exchange, signatures, random numbers, HMAC stay the JDK's
      assertEquals(
          Set.of("Cipher AES/GCM/NoPadding", "MessageDigest SHA-256"),
          first.getServices().stream()
              .map(s -> s.getType() + " " + s.getAlgorithm())
              .collect(Collectors.toSet()));
      assertEquals(first, Cipher.getInstance("AES/GCM/NoPadding").getProvider());
      assertEquals(first, MessageDigest.getInstance("SHA-256").getProvider());
      assertEquals("SUN", MessageDigest.getInstance("SHA-384").getProvider().getName());
      assertEquals("SunJCE", Mac.getInstance("HmacSHA256").getProvider().getName());
      // cdnpub's own digests without a provider stay the JDK's, named
      assertEquals("SUN", Digests.digest("SHA-256").getProvider().getName());

      Random random = new Random(11);
      byte[] nonce = new byte[12];
      byte[] aad = new byte[13];
      random.nextBytes(nonce);
      random.nextBytes(aad);
      // TLS's AES-128-GCM and AES-256-GCM
      for (int keyBytes : new int[] {16, 32}) {
        byte[] key = new byte[keyBytes];
        random.nextBytes(key);
        for (int size : new int[] {0, 1, 15, 16, 17, 16384, 16384 + 256 + 5}) {
          byte[] plain = new byte[size];
          random.nextBytes(plain);
          byte[] jdk =
              gcm(
                  Cipher.getInstance("AES/GCM/NoPadding", "SunJCE"),
                  ENCRYPT,
                  key,
                  nonce,
                  aad,
                  plain);
          Cipher viaNss = Cipher.getInstance("AES/GCM/NoPadding");
          byte[] nss = gcm(viaNss, ENCRYPT, key, nonce, aad, plain);
          // NSS did encrypt: a provider that fails at init is silently passed over by the JCA
          assertEquals(NativeCrypto.TRANSFERS, viaNss.getProvider().getName());
          assertArrayEquals(jdk, nss, "AES-" + keyBytes * 8 + "-GCM of " + size + " bytes");
          // decrypted in place in one buffer, as TLS reads a record
          ByteBuffer record = ByteBuffer.wrap(nss.clone());
          Cipher decrypt = Cipher.getInstance("AES/GCM/NoPadding");
          decrypt.init(
              Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
          decrypt.updateAAD(aad);
          ByteBuffer out = record.duplicate();
          int n = decrypt.doFinal(record, out);
          assertEquals(NativeCrypto.TRANSFERS, decrypt.getProvider().getName());
          assertArrayEquals(plain, Arrays.copyOf(out.flip().array(), n), "decrypted " + size);
          assertEquals(
              HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256", "SUN").digest(plain)),
              HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(plain)));
        }
      }
      byte[] key = new byte[16];
      random.nextBytes(key);
      // a record altered on the way is refused
      byte[] sealed =
          gcm(Cipher.getInstance("AES/GCM/NoPadding"), ENCRYPT, key, nonce, aad, new byte[64]);
      sealed[5] ^= 1;
      assertThrows(
          AEADBadTagException.class,
          () -> gcm(Cipher.getInstance("AES/GCM/NoPadding"), DECRYPT, key, nonce, aad, sealed));
    } finally {
      Security.removeProvider(NativeCrypto.TRANSFERS);
    }
  }

  @Test
  void withoutNss_preferForTransfers_answersFalse_andLeavesTheProvidersAsTheyWere() {
    Security.removeProvider(NativeCrypto.TRANSFERS); // another test's, in this JVM
    Provider[] before = Security.getProviders();
    assertFalse(NativeCrypto.preferForTransfers(Optional.empty()));
    assertArrayEquals(before, Security.getProviders());
  }

  private static final int ENCRYPT = Cipher.ENCRYPT_MODE;
  private static final int DECRYPT = Cipher.DECRYPT_MODE;

  private static byte[] gcm(
      Cipher cipher, int mode, byte[] key, byte[] nonce, byte[] aad, byte[] input)
      throws Exception {
    cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
    cipher.updateAAD(aad);
    return cipher.doFinal(input);
  }

  @Test
  void transfersPayFromTwoMiBOverHttps_andFromEightMiBOverPlainHttp() {
    java.net.URI r2 = java.net.URI.create("https://acc.r2.cloudflarestorage.com");
    java.net.URI local = java.net.URI.create("http://127.0.0.1:9000");
    assertFalse(NativeCrypto.pays(r2, NativeCrypto.TLS_FROM_BYTES - 1));
    assertTrue(NativeCrypto.pays(r2, NativeCrypto.TLS_FROM_BYTES));
    assertEquals(2L << 20, NativeCrypto.TLS_FROM_BYTES);
    assertFalse(NativeCrypto.pays(local, Digests.NATIVE_FROM_BYTES - 1));
    assertTrue(NativeCrypto.pays(local, Digests.NATIVE_FROM_BYTES));
  }

  /**
   * A JDK that takes ciphers only from signed providers (Oracle's) passes the transfer provider
   * over without a word; here a cipher that refuses every key stands in for that. Then nothing of
   * it stays, and publish does not claim that NSS encrypts.
   */
  @Test
  void aProviderWhoseCipherTheJcaPassesOver_isTakenOutAgain_andTheAnswerIsFalse() {
    Security.removeProvider(NativeCrypto.TRANSFERS);
    Provider[] before = Security.getProviders();
    Provider refusing = new RefusingProvider();
    assertFalse(NativeCrypto.preferForTransfers(Optional.of(refusing)));
    assertArrayEquals(before, Security.getProviders());
    assertFalse(NativeCrypto.preferredForTransfers());
  }

  /** A provider of one cipher, {@link RefusingCipher}. */
  private static final class RefusingProvider extends Provider {
    private static final long serialVersionUID = 1L;

    RefusingProvider() {
      super("refusing-nss", "1", "a cipher that takes no key");
      putService(
          new Service(
              this, "Cipher", "AES/GCM/NoPadding", RefusingCipher.class.getName(), null, null));
    }
  }

  /** Refuses every key, as the JCA sees a provider it may not use. */
  public static final class RefusingCipher extends javax.crypto.CipherSpi {
    @Override
    protected void engineSetMode(String mode) {}

    @Override
    protected void engineSetPadding(String padding) {}

    @Override
    protected int engineGetBlockSize() {
      return 16;
    }

    @Override
    protected int engineGetOutputSize(int inputLen) {
      return inputLen + 16;
    }

    @Override
    protected byte[] engineGetIV() {
      return null;
    }

    @Override
    protected java.security.AlgorithmParameters engineGetParameters() {
      return null;
    }

    @Override
    protected void engineInit(int opmode, java.security.Key key, java.security.SecureRandom random)
        throws java.security.InvalidKeyException {
      throw new java.security.InvalidKeyException("refused");
    }

    @Override
    protected void engineInit(
        int opmode,
        java.security.Key key,
        java.security.spec.AlgorithmParameterSpec params,
        java.security.SecureRandom random)
        throws java.security.InvalidKeyException {
      throw new java.security.InvalidKeyException("refused");
    }

    @Override
    protected void engineInit(
        int opmode,
        java.security.Key key,
        java.security.AlgorithmParameters params,
        java.security.SecureRandom random)
        throws java.security.InvalidKeyException {
      throw new java.security.InvalidKeyException("refused");
    }

    @Override
    protected byte[] engineUpdate(byte[] input, int offset, int len) {
      throw new IllegalStateException();
    }

    @Override
    protected int engineUpdate(byte[] input, int offset, int len, byte[] out, int outOffset) {
      throw new IllegalStateException();
    }

    @Override
    protected byte[] engineDoFinal(byte[] input, int offset, int len) {
      throw new IllegalStateException();
    }

    @Override
    protected int engineDoFinal(byte[] input, int offset, int len, byte[] out, int outOffset) {
      throw new IllegalStateException();
    }
  }
}

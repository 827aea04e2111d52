package dev.cdnpub.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cdnpub.app.ApiFactory;
import dev.cdnpub.app.StoreFactory;
import dev.cdnpub.store.Digests;
import dev.cdnpub.store.NativeCrypto;
import dev.cdnpub.store.ObjectInfo;
import dev.cdnpub.testing.CliRun;
import dev.cdnpub.testing.ForwardingStore;
import dev.cdnpub.testing.S3ProxyServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Security;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A release of 8 MiB or more travels through NSS (NativeCrypto): the provider is first before the
 * store's first request, so every connection of the publish uses it; smaller releases and the local
 * store leave the JVM's providers alone.
 */
class NativeTransfersTest {
  static final S3ProxyServer s3 = S3ProxyServer.shared();

  @TempDir Path work;

  /** Whether NSS was first when the store got each request, in order. */
  private final List<Boolean> nssFirstAtRequest = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  @AfterEach
  void noTransferProvider() {
    Security.removeProvider(NativeCrypto.TRANSFERS);
  }

  @Test
  void largeReleaseToR2_hasNssFirstFromTheStoresFirstRequest_andSaysSo() throws Exception {
    assumeTrue(NativeCrypto.provider().isPresent(), "NSS is not installed here");
    writeRelease(Digests.NATIVE_FROM_BYTES);
    CliRun run = publish(s3.r2Env(s3.newBucket()));
    assertEquals(0, run.exitCode, run.toString());
    assertTrue(
        run.out.contains("crypto: AES-GCM (TLS) and SHA-256 by NSS, for 8388608 bytes"), run.out);
    assertFalse(nssFirstAtRequest.isEmpty());
    assertEquals(
        List.of(true), nssFirstAtRequest.stream().distinct().toList(), "" + nssFirstAtRequest);
  }

  @Test
  void smallerReleaseToR2_andALargeOneToTheLocalStore_leaveTheProvidersAlone() throws Exception {
    writeRelease(Digests.NATIVE_FROM_BYTES - 1);
    CliRun small = publish(s3.r2Env(s3.newBucket()));
    assertEquals(0, small.exitCode, small.toString());
    assertFalse(small.out.contains("crypto:"), small.out);
    assertFalse(NativeCrypto.preferredForTransfers());

    writeRelease(Digests.NATIVE_FROM_BYTES);
    CliRun local = publish(Map.of("CDNPUB_TARGET", "local"));
    assertEquals(0, local.exitCode, local.toString());
    assertFalse(local.out.contains("crypto:"), local.out);
    assertFalse(NativeCrypto.preferredForTransfers());
  }

  @Test
  void verifyOfALargeRelease_readsItBackThroughNss_andFindsItIntact() throws Exception {
    assumeTrue(NativeCrypto.provider().isPresent(), "NSS is not installed here");
    writeRelease(Digests.NATIVE_FROM_BYTES);
    Map<String, String> env = s3.r2Env(s3.newBucket());
    assertEquals(0, publish(env).exitCode);
    Security.removeProvider(NativeCrypto.TRANSFERS);

    CliRun verify = CliRun.run(work, env, "verify", "1.0.0", "--library", "big", "--json");
    assertEquals(0, verify.exitCode, verify.toString());
    assertEquals(
        "ok",
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(verify.out)
            .get("status")
            .asText(),
        verify.out);
    assertTrue(NativeCrypto.preferredForTransfers(), "verify put NSS first");
  }

  /** Two files of {@code bytes} in all, in work/dist. */
  private void writeRelease(long bytes) throws Exception {
    Path dist = Files.createDirectories(work.resolve("dist"));
    byte[] all = new byte[(int) bytes];
    new Random(3).nextBytes(all);
    int half = all.length / 2;
    Files.write(dist.resolve("a.bin"), java.util.Arrays.copyOfRange(all, 0, half));
    Files.write(dist.resolve("b.bin"), java.util.Arrays.copyOfRange(all, half, all.length));
  }

  private CliRun publish(Map<String, String> env) {
    StoreFactory recording =
        (settings, threshold, notices) ->
            new ForwardingStore(StoreFactory.DEFAULT.open(settings, threshold, notices)) {
              @Override
              public Optional<byte[]> read(String key) {
                seen();
                return super.read(key);
              }

              @Override
              public <T> Optional<T> readStream(String key, StreamReader<T> reader) {
                seen();
                return super.readStream(key, reader);
              }

              @Override
              public Optional<ObjectInfo> stat(String key) {
                seen();
                return super.stat(key);
              }
            };
    return CliRun.run(
        work,
        env,
        recording,
        ApiFactory.DEFAULT,
        "publish",
        "dist",
        "--version",
        "1.0.0",
        "--library",
        "big",
        "--no-aliases");
  }

  private void seen() {
    nssFirstAtRequest.add(NativeCrypto.preferredForTransfers());
  }
}

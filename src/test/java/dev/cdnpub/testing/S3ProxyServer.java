package dev.cdnpub.testing;

import dev.cdnpub.store.S3ClientLimits;
import dev.cdnpub.store.S3ObjectStore;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 server for tests: S3Proxy with its filesystem backend in a temporary folder, on a free
 * loopback port, checking signatures. (The filesystem backend is the one whose If-None-Match: * was
 * measured atomic under concurrency; see the shared Cloudflare reference.)
 */
public final class S3ProxyServer implements AutoCloseable {
  public static final String ACCESS_KEY = "test-access-key-id";
  public static final String SECRET_KEY = "test-secret-access-key-0123456789";
  private static final AtomicInteger BUCKETS = new AtomicInteger();

  private static S3ProxyServer shared;

  private final S3Proxy proxy;
  private final Path baseDir;
  private final TestCertificate certificate;

  public S3ProxyServer() throws Exception {
    this(true, false);
  }

  public S3ProxyServer(boolean checkSignatures) throws Exception {
    this(checkSignatures, false);
  }

  /**
   * @param checkSignatures false starts a server that accepts any request unsigned or with any
   *     signature: the stand-in for a store whose proxy drops a signed header (see {@link
   *     FaultProxy.Rule#stripHeader}), which a signature-checking server would refuse with 403
   * @param tls true also serves HTTPS ({@link #secureEndpoint()}) with a self-signed certificate
   *     for 127.0.0.1 ({@link #certificate()}), as R2 serves only HTTPS
   */
  public S3ProxyServer(boolean checkSignatures, boolean tls) throws Exception {
    baseDir = Files.createTempDirectory("s3proxy");
    // The certificate sits next to the buckets' folder, never in it (it would be listed as one).
    certificate = tls ? TestCertificate.create(baseDir.resolve("tls")) : null;
    Properties props = new Properties();
    props.setProperty(
        "jclouds.filesystem.basedir", Files.createDirectories(baseDir.resolve("blobs")).toString());
    props.setProperty("jclouds.identity", ACCESS_KEY);
    props.setProperty("jclouds.credential", SECRET_KEY);
    S3Proxy.Builder builder =
        S3Proxy.builder()
            .blobStore(BlobStores.create("filesystem", props))
            .awsAuthentication(
                checkSignatures ? AuthenticationType.AWS_V2_OR_V4 : AuthenticationType.NONE,
                ACCESS_KEY,
                SECRET_KEY)
            .endpoint(URI.create("http://127.0.0.1:0"));
    if (tls) {
      builder
          .secureEndpoint(URI.create("https://127.0.0.1:0"))
          .keyStore(certificate.keyStore().toString(), TestCertificate.PASSWORD);
    }
    proxy = builder.build();
    proxy.start();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!"STARTED".equals(proxy.getState())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
      }
      Thread.sleep(10);
    }
  }

  /**
   * One server for every test class in this JVM, started on first use and stopped when the JVM
   * exits; tests keep apart by using a fresh bucket each ({@link #newBucket()}).
   */
  public static synchronized S3ProxyServer shared() {
    if (shared == null) {
      try {
        shared = new S3ProxyServer();
      } catch (Exception e) {
        throw new IllegalStateException("S3Proxy did not start", e);
      }
      S3ProxyServer server = shared;
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      server.close();
                    } catch (Exception ignored) {
                      // the JVM is exiting
                    }
                  }));
    }
    return shared;
  }

  /**
   * The environment that makes cdnpub publish to {@code bucket} on this server (no KV settings).
   */
  public java.util.Map<String, String> r2Env(String bucket) {
    java.util.Map<String, String> env = new java.util.HashMap<>();
    env.put("CDNPUB_TARGET", "r2");
    env.put("CDNPUB_R2_BUCKET", bucket);
    env.put("CDNPUB_R2_ENDPOINT", endpoint().toString());
    env.put("R2_ACCESS_KEY_ID", ACCESS_KEY);
    env.put("R2_SECRET_ACCESS_KEY", SECRET_KEY);
    return env;
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + proxy.getPort());
  }

  /** The HTTPS endpoint of a server started with TLS. */
  public URI secureEndpoint() {
    if (certificate == null) {
      throw new IllegalStateException("this S3Proxy serves plain HTTP only");
    }
    return URI.create("https://127.0.0.1:" + proxy.getSecurePort());
  }

  /** The certificate of a server started with TLS. */
  public TestCertificate certificate() {
    if (certificate == null) {
      throw new IllegalStateException("this S3Proxy serves plain HTTP only");
    }
    return certificate;
  }

  /** A client configured exactly as cdnpub configures it for R2. */
  public S3Client client() {
    return S3ObjectStore.r2ClientBuilder(endpoint(), ACCESS_KEY, SECRET_KEY, S3ClientLimits.DEFAULT)
        .build();
  }

  /** Creates a fresh bucket, so that tests sharing one server never see each other's objects. */
  public String newBucket() {
    String bucket = "bucket-" + BUCKETS.incrementAndGet() + "-" + System.nanoTime() % 100000;
    try (S3Client s3 = client()) {
      s3.createBucket(b -> b.bucket(bucket));
    }
    return bucket;
  }

  public S3ObjectStore store(String bucket, long multipartThreshold) {
    return new S3ObjectStore(
        client(), bucket, endpoint().toString(), multipartThreshold, S3ObjectStore.MIN_PART_SIZE);
  }

  @Override
  public void close() throws Exception {
    proxy.stop();
    try (var walk = Files.walk(baseDir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}

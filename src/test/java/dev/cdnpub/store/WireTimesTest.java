package dev.cdnpub.store;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cdnpub.testing.S3ProxyServer;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

class WireTimesTest {
  /**
   * The client's own work per request (here 300 ms of it, before the request is marshalled) is not
   * the store's round trip: a publish chose its uploads in flight from whole calls, which a cold
   * JVM makes several times longer than the round trip to a nearby store.
   */
  @Test
  void shortestWireTime_leavesOutTheClientsOwnWork() {
    S3ProxyServer s3 = S3ProxyServer.shared();
    String bucket = s3.newBucket();
    WireTimes wire = new WireTimes();
    ExecutionInterceptor busyClient =
        new ExecutionInterceptor() {
          @Override
          public void beforeMarshalling(
              Context.BeforeMarshalling context, ExecutionAttributes attributes) {
            try {
              Thread.sleep(300);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        };
    S3ClientBuilder builder =
        S3ObjectStore.r2ClientBuilder(
            s3.endpoint(), S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY);
    builder.overrideConfiguration(
        builder.overrideConfiguration().toBuilder()
            .addExecutionInterceptor(busyClient)
            .addExecutionInterceptor(wire)
            .build());
    assertTrue(wire.shortestMillis().isEmpty(), "no answer yet");
    try (S3Client client = builder.build()) {
      for (int i = 0; i < 3; i++) {
        long start = System.nanoTime();
        client.headBucket(b -> b.bucket(bucket));
        long callMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(callMillis >= 300, "the call took " + callMillis + " ms");
      }
    }
    OptionalLong shortest = wire.shortestMillis();
    assertTrue(shortest.isPresent());
    assertTrue(shortest.getAsLong() < 200, "on the wire: " + shortest.getAsLong() + " ms");
  }
}

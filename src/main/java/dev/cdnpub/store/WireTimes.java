package dev.cdnpub.store;

import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * The shortest time a request of this client spent on the wire: from handing the signed request to
 * the HTTP client until its response's head arrived. Unlike timing a whole call, this leaves out
 * the SDK's own work (marshalling, signing, interceptors), which in a cold JVM under C1 takes
 * longer than a round trip to a nearby store; what remains is the round trip, the server's time and
 * the HTTP client's (a new connection's TCP and TLS handshakes too, which the shortest leaves out
 * as soon as one request reused a connection).
 */
final class WireTimes implements ExecutionInterceptor {
  private static final ExecutionAttribute<Long> SENT = new ExecutionAttribute<>("cdnpub.sent");

  private final AtomicLong shortestNanos = new AtomicLong(Long.MAX_VALUE);

  @Override
  public void beforeTransmission(
      Context.BeforeTransmission context, ExecutionAttributes attributes) {
    attributes.putAttribute(SENT, System.nanoTime());
  }

  @Override
  public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
    Long sent = attributes.getAttribute(SENT);
    if (sent != null) {
      record(System.nanoTime() - sent);
    }
  }

  /** One request's time on the wire, timed elsewhere (a {@link DirectPut}). */
  void record(long nanos) {
    shortestNanos.accumulateAndGet(nanos, Math::min);
  }

  /** The shortest wire time so far in milliseconds (rounded up), or empty before any answer. */
  OptionalLong shortestMillis() {
    long nanos = shortestNanos.get();
    return nanos == Long.MAX_VALUE
        ? OptionalLong.empty()
        : OptionalLong.of((nanos + 999_999) / 1_000_000);
  }
}

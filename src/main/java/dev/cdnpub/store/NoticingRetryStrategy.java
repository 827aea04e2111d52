package dev.cdnpub.store;

import java.time.Duration;
import java.util.function.Consumer;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.retries.api.AcquireInitialTokenRequest;
import software.amazon.awssdk.retries.api.AcquireInitialTokenResponse;
import software.amazon.awssdk.retries.api.RecordSuccessRequest;
import software.amazon.awssdk.retries.api.RecordSuccessResponse;
import software.amazon.awssdk.retries.api.RefreshRetryTokenRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenResponse;
import software.amazon.awssdk.retries.api.RetryStrategy;

/**
 * The SDK's retry strategy with two additions: a wait of {@code noticeWait} or more is announced
 * before it starts ("R2 answered 503; retrying in 12 s"), and no wait is longer than {@code
 * maxWait}, even when the server's {@code Retry-After} asks for more (the SDK honours it uncapped).
 * Only the status code or the kind of network failure is named: never a message that could carry a
 * URL or a credential.
 */
final class NoticingRetryStrategy implements RetryStrategy {
  private final RetryStrategy delegate;
  private final Duration noticeWait;
  private final Duration maxWait;
  private final Consumer<String> notices;

  NoticingRetryStrategy(
      RetryStrategy delegate, Duration noticeWait, Duration maxWait, Consumer<String> notices) {
    this.delegate = delegate;
    this.noticeWait = noticeWait;
    this.maxWait = maxWait;
    this.notices = notices;
  }

  @Override
  public AcquireInitialTokenResponse acquireInitialToken(AcquireInitialTokenRequest request) {
    return delegate.acquireInitialToken(request);
  }

  @Override
  public RefreshRetryTokenResponse refreshRetryToken(RefreshRetryTokenRequest request) {
    RefreshRetryTokenResponse response = delegate.refreshRetryToken(request);
    Duration wait = response.delay().compareTo(maxWait) > 0 ? maxWait : response.delay();
    if (wait.compareTo(noticeWait) >= 0) {
      notices.accept(notice(what(request.failure()), wait));
    }
    return wait.equals(response.delay())
        ? response
        : RefreshRetryTokenResponse.create(response.token(), wait);
  }

  private static String what(Throwable failure) {
    return failure instanceof SdkServiceException e
        ? what(e.statusCode(), null)
        : what(0, failure.getClass().getSimpleName());
  }

  /** "answered 503", or for no answer (status 0) "request failed (SocketTimeoutException)". */
  static String what(int status, String failureKind) {
    return status > 0 ? "answered " + status : "request failed (" + failureKind + ")";
  }

  /** "R2 answered 503; retrying in 12 s": what went wrong and the wait, in whole seconds. */
  static String notice(String what, Duration wait) {
    return "R2 " + what + "; retrying in " + seconds(wait) + " s";
  }

  private static long seconds(Duration wait) {
    return Math.max(1, (wait.toMillis() + 999) / 1000);
  }

  @Override
  public RecordSuccessResponse recordSuccess(RecordSuccessRequest request) {
    return delegate.recordSuccess(request);
  }

  @Override
  public int maxAttempts() {
    return delegate.maxAttempts();
  }

  @Override
  public boolean useClientDefaults() {
    return false;
  }

  @Override
  public Builder<?, ?> toBuilder() {
    return delegate.toBuilder();
  }

  @Override
  public void close() {
    delegate.close();
  }
}

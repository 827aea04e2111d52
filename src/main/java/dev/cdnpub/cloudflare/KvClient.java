package dev.cdnpub.cloudflare;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdnpub.core.CdnpubException;
import dev.cdnpub.core.ExitCode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.RequestBody;

/**
 * The values of one Workers KV namespace, through the REST API ({@code
 * /accounts/{account}/storage/kv/namespaces/{namespace}}). Keys are sent as one URL path segment
 * each, so {@code chatleo/v1} travels as {@code chatleo%2Fv1}. Values are UTF-8 text.
 *
 * <p>Every failure is a {@link CloudflareApiException} as described on {@link CloudflareApi}: a
 * missing namespace or account is {@link ExitCode#NOT_FOUND}, a token without KV permission {@link
 * ExitCode#AUTH}. A key Cloudflare cannot store (empty, {@code .}, {@code ..}, over 512 bytes) is
 * {@link ExitCode#USAGE} before any request. Writes are eventually consistent: Workers may serve
 * the old value for a minute or more. Safe to share across threads.
 */
public final class KvClient {
  /** Cloudflare's error code for "key not found" on {@code GET values/{key}}. */
  static final int KEY_NOT_FOUND = 10009;

  static final int MAX_KEY_BYTES = 512;

  /** The largest page the API allows, to keep the number of billed list calls down. */
  static final int PAGE_SIZE = 1000;

  private static final MediaType TEXT = MediaType.get("text/plain; charset=utf-8");
  private static final String READ = "Workers KV Storage Read";
  private static final String WRITE = "Workers KV Storage Write";

  private final CloudflareApi api;
  private final String accountId;
  private final String namespaceId;

  public KvClient(CloudflareApi api, String accountId, String namespaceId) {
    this.api = Objects.requireNonNull(api, "api");
    this.accountId = Objects.requireNonNull(accountId, "accountId");
    this.namespaceId = Objects.requireNonNull(namespaceId, "namespaceId");
  }

  /**
   * Stores {@code value} with {@code metadata} (JSON text; null: none) under {@code key}, replacing
   * any earlier value and metadata. With metadata the body is {@code multipart/form-data} with the
   * parts {@code value} and {@code metadata}, as the API requires; without, the raw value.
   */
  public void put(String key, String value, String metadata) {
    Objects.requireNonNull(value, "value");
    Operation operation = new Operation("write Workers KV key '" + checkKey(key) + "'", WRITE);
    RequestBody body =
        metadata == null
            ? RequestBody.create(value.getBytes(StandardCharsets.UTF_8), TEXT)
            : new MultipartBody.Builder()
                .setType(MultipartBody.FORM)
                .addFormDataPart("value", value)
                .addFormDataPart("metadata", metadata)
                .build();
    api.call(request("PUT", operation, "values", key).withBody(body));
  }

  /**
   * The value stored under {@code key}, or empty if there is none.
   *
   * @throws CloudflareApiException {@link ExitCode#NOT_FOUND} when the namespace (not the key) is
   *     missing, or as described on {@link CloudflareApi}
   */
  public Optional<String> get(String key) {
    Operation operation = new Operation("read Workers KV key '" + checkKey(key) + "'", READ);
    try {
      byte[] value = api.callRaw(request("GET", operation, "values", key));
      return Optional.of(new String(value, StandardCharsets.UTF_8));
    } catch (CloudflareApiException e) {
      // Only this code means "no such key"; a 404 for a missing namespace must not read as empty.
      if (e.httpStatus() == 404 && e.hasErrorCode(KEY_NOT_FOUND)) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /**
   * The metadata stored with {@code key} as JSON text, or empty when the key has none or does not
   * exist ({@code GET …/metadata/{key}}, whose envelope's {@code result} is the metadata).
   */
  public Optional<String> metadata(String key) {
    Operation operation =
        new Operation("read the metadata of Workers KV key '" + checkKey(key) + "'", READ);
    try {
      JsonNode result = api.call(request("GET", operation, "metadata", key)).result();
      return result.isMissingNode() || result.isNull()
          ? Optional.empty()
          : Optional.of(result.toString());
    } catch (CloudflareApiException e) {
      if (e.httpStatus() == 404 && e.hasErrorCode(KEY_NOT_FOUND)) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public String toString() {
    return "KvClient[account=" + accountId + ", namespace=" + namespaceId + "]";
  }

  private ApiRequest request(String method, Operation operation, String... tail) {
    List<String> segments =
        new ArrayList<>(List.of("accounts", accountId, "storage", "kv", "namespaces", namespaceId));
    segments.addAll(List.of(tail));
    return new ApiRequest(method, segments, Map.of(), null, operation);
  }

  private static String checkKey(String key) {
    if (key == null || key.isEmpty() || key.equals(".") || key.equals("..")) {
      throw CdnpubException.usage(
          "'" + key + "' cannot be a Workers KV key: keys must not be empty, '.' or '..'.");
    }
    int bytes = key.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_KEY_BYTES) {
      throw CdnpubException.usage(
          String.format(
              Locale.ROOT,
              "The Workers KV key '%s…' is %d bytes long; Cloudflare allows at most %d.",
              key.substring(0, 40),
              bytes,
              MAX_KEY_BYTES));
    }
    return key;
  }
}

package dev.cdnpub.cloudflare;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import okhttp3.MediaType;
import okhttp3.RequestBody;

/**
 * One Cloudflare API request, relative to the API base URL. Path segments are given decoded and are
 * percent-encoded one by one, so a KV key {@code chatleo/v1} stays one segment ({@code
 * chatleo%2Fv1}). The body must be replayable (built from bytes or a string), since a retry sends
 * it again.
 *
 * @param method the HTTP method, e.g. {@code "PUT"}
 * @param pathSegments decoded path segments below the base URL
 * @param query query parameters in order, values decoded
 * @param body the body, or {@code null} for none
 * @param operation what the request is for, for error messages
 */
public record ApiRequest(
    String method,
    List<String> pathSegments,
    Map<String, String> query,
    RequestBody body,
    Operation operation) {

  private static final MediaType JSON = MediaType.get("application/json");

  public ApiRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(operation, "operation");
    pathSegments = List.copyOf(pathSegments);
    query = Collections.unmodifiableMap(new LinkedHashMap<>(query));
  }

  /** A request without query or body. */
  public static ApiRequest of(String method, Operation operation, String... pathSegments) {
    return new ApiRequest(method, List.of(pathSegments), Map.of(), null, operation);
  }

  /** This request with one more query parameter. */
  public ApiRequest withQuery(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(query);
    more.put(name, value);
    return new ApiRequest(method, pathSegments, more, body, operation);
  }

  /** This request with the given body. */
  public ApiRequest withBody(RequestBody newBody) {
    return new ApiRequest(method, pathSegments, query, newBody, operation);
  }

  /** This request with a JSON body. */
  public ApiRequest withJson(JsonNode json) {
    // Bytes, not a String: OkHttp would otherwise append "; charset=utf-8" to the content type.
    return withBody(RequestBody.create(json.toString().getBytes(StandardCharsets.UTF_8), JSON));
  }
}

package dev.cdnpub.cloudflare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The Workers routes of a zone ({@code /zones/{zone}/workers/routes}). Failures are {@link
 * CloudflareApiException}s as described on {@link CloudflareApi}; a token without "Workers Routes
 * Write" (zone) is {@link dev.cdnpub.core.ExitCode#AUTH}, a pattern that already exists or is
 * malformed is {@link dev.cdnpub.core.ExitCode#USAGE} with the API's message. A create that is
 * retried after a lost answer may find its own route and fail that way: list before creating. Safe
 * to share across threads.
 */
public final class WorkerRoutesClient {
  private static final String READ = "Workers Routes Read";
  private static final String WRITE = "Workers Routes Write";

  private final CloudflareApi api;

  public WorkerRoutesClient(CloudflareApi api) {
    this.api = Objects.requireNonNull(api, "api");
  }

  /** All Workers routes of the zone, in the API's order. */
  public List<WorkerRoute> listRoutes(String zoneId) {
    ApiEnvelope envelope =
        api.call(
            ApiRequest.of(
                "GET", new Operation("list the zone's Worker routes", READ), path(zoneId)));
    List<WorkerRoute> routes = new ArrayList<>();
    for (JsonNode route : envelope.result()) {
      routes.add(toRoute(route, null, null));
    }
    return routes;
  }

  /** Adds a route that sends requests matching {@code pattern} to {@code script}. */
  public WorkerRoute createRoute(String zoneId, String pattern, String script) {
    Operation operation = new Operation("create the Worker route '" + pattern + "'", WRITE);
    ApiEnvelope envelope =
        api.call(
            ApiRequest.of("POST", operation, path(zoneId)).withJson(routeJson(pattern, script)));
    return toRoute(envelope.result(), pattern, script);
  }

  private static String[] path(String zoneId) {
    return new String[] {"zones", zoneId, "workers", "routes"};
  }

  private static ObjectNode routeJson(String pattern, String script) {
    return JsonNodeFactory.instance.objectNode().put("pattern", pattern).put("script", script);
  }

  // Some answers carry only the id; what was sent fills in the rest.
  private static WorkerRoute toRoute(JsonNode json, String pattern, String script) {
    return new WorkerRoute(
        json.path("id").asText(null),
        json.hasNonNull("pattern") ? json.get("pattern").asText() : pattern,
        json.hasNonNull("script") ? json.get("script").asText() : script);
  }
}

package dev.cdnpub.config;

import java.util.Map;

/**
 * What the resolver's deployment needs: script name, the CDN host its routes match, the zone, the
 * KV namespace to bind, and the TTL variables set by the user ({@code vars}: only those given;
 * every other one keeps the default written in the Worker's source, see ResolverScript#vars).
 */
public record WorkerSettings(
    String scriptName,
    String cdnHost,
    String zoneName,
    String zoneId,
    String kvNamespaceId,
    Map<String, String> vars) {

  public WorkerSettings {
    vars = Map.copyOf(vars);
  }
}

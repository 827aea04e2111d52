package dev.cdnpub.worker;

import java.util.Map;

/**
 * What the resolver's deployment needs: script name, the CDN host its routes match, the zone,
 * the KV namespace to bind, and the TTL variables.
 */
public record WorkerSettings(
    String scriptName, String cdnHost, String zoneName, String zoneId, String kvNamespaceId, Map<String, String> vars) {

  public WorkerSettings {
    vars = Map.copyOf(vars);
  }
}

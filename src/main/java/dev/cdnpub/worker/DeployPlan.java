package dev.cdnpub.worker;

import dev.cdnpub.cloudflare.WorkerMetadata;
import dev.cdnpub.cloudflare.WorkerRoute;
import java.util.List;

/**
 * What {@code worker deploy} will do: upload the script with {@code metadata}, create {@code
 * routesToCreate}; {@code routesInPlace} already send their pattern to this script, and {@code
 * foreignRoutes} send one of our patterns to another script and are left alone.
 */
public record DeployPlan(
    String scriptName,
    WorkerMetadata metadata,
    List<String> routesToCreate,
    List<WorkerRoute> routesInPlace,
    List<WorkerRoute> foreignRoutes) {

  public DeployPlan {
    routesToCreate = List.copyOf(routesToCreate);
    routesInPlace = List.copyOf(routesInPlace);
    foreignRoutes = List.copyOf(foreignRoutes);
  }
}

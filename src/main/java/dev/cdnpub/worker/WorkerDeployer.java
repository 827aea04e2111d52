package dev.cdnpub.worker;

import dev.cdnpub.cloudflare.WorkerBinding;
import dev.cdnpub.cloudflare.WorkerMetadata;
import dev.cdnpub.cloudflare.WorkerRoute;
import dev.cdnpub.cloudflare.WorkerRoutesClient;
import dev.cdnpub.cloudflare.WorkersScriptsClient;
import dev.cdnpub.config.WorkerSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Deploys the resolver without wrangler: uploads the script, then makes the zone's routes cover
 * every alias in use. Creates missing routes, never deletes or repoints a route (another script's
 * routes, and routes that other libraries' aliases need, stay as they are), so a re-run changes
 * nothing but the script upload.
 */
public final class WorkerDeployer {
  private final WorkersScriptsClient scripts;
  private final WorkerRoutesClient routes;

  public WorkerDeployer(WorkersScriptsClient scripts, WorkerRoutesClient routes) {
    this.scripts = scripts;
    this.routes = routes;
  }

  /** The plan, from the desired patterns and the zone's current routes; pure. */
  public static DeployPlan plan(
      WorkerSettings settings, List<String> patterns, List<WorkerRoute> existing) {
    List<WorkerBinding> bindings = new ArrayList<>();
    bindings.add(
        new WorkerBinding.KvNamespace(ResolverScript.KV_BINDING, settings.kvNamespaceId()));
    ResolverScript.vars(settings.vars())
        .forEach((name, value) -> bindings.add(new WorkerBinding.PlainText(name, value)));
    WorkerMetadata metadata = new WorkerMetadata(ResolverScript.COMPATIBILITY_DATE, bindings);
    Map<String, WorkerRoute> byPattern = new TreeMap<>();
    existing.forEach(r -> byPattern.put(r.pattern(), r));
    List<String> create = new ArrayList<>();
    List<WorkerRoute> inPlace = new ArrayList<>();
    List<WorkerRoute> foreign = new ArrayList<>();
    for (String pattern : patterns) {
      WorkerRoute route = byPattern.get(pattern);
      if (route == null) {
        create.add(pattern);
      } else if (settings.scriptName().equals(route.script())) {
        inPlace.add(route);
      } else {
        foreign.add(route);
      }
    }
    return new DeployPlan(settings.scriptName(), metadata, create, inPlace, foreign);
  }

  /** Reads the zone's routes, for {@link #plan}. */
  public List<WorkerRoute> currentRoutes(String zoneId) {
    return routes.listRoutes(zoneId);
  }

  /** Uploads the script first (a route to a missing script would fail), then creates routes. */
  public void execute(DeployPlan plan, String accountId, String zoneId) {
    scripts.uploadModule(
        accountId,
        plan.scriptName(),
        ResolverScript.MAIN_MODULE,
        ResolverScript.source(),
        plan.metadata());
    for (String pattern : plan.routesToCreate()) {
      routes.createRoute(zoneId, pattern, plan.scriptName());
    }
  }
}

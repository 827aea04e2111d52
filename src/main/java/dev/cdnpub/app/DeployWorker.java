package dev.cdnpub.app;

import dev.cdnpub.cloudflare.CloudflareApi;
import dev.cdnpub.cloudflare.WorkerRoutesClient;
import dev.cdnpub.cloudflare.WorkersScriptsClient;
import dev.cdnpub.config.KvSettings;
import dev.cdnpub.config.SettingsResolver;
import dev.cdnpub.config.WorkerSettings;
import dev.cdnpub.worker.DeployPlan;
import dev.cdnpub.worker.WorkerDeployer;
import java.util.List;

/**
 * Upload the resolver through the Workers API and create the routes missing for the aliases in use;
 * routes of other scripts are left alone. A dry run reads the routes and writes nothing.
 */
public final class DeployWorker {
  public record Request(SettingsResolver.Flags target, boolean dryRun) {}

  public record Result(
      boolean dryRun,
      WorkerSettings worker,
      DeployPlan plan,
      List<String> routes,
      String storeDescription) {}

  private final Application app;

  public DeployWorker(Application app) {
    this.app = app;
  }

  public Result run(Request request) {
    try (Application.StoreSession session = app.openWholeStore(request.target())) {
      session.settings().requireDeploy();
      WorkerSettings worker = session.settings().worker(true);
      KvSettings api = session.settings().kv();
      List<String> patterns = WorkerRoutes.patterns(session.store(), worker.cdnHost());
      CloudflareApi client = app.cloudflare(api);
      WorkerDeployer deployer =
          new WorkerDeployer(new WorkersScriptsClient(client), new WorkerRoutesClient(client));
      DeployPlan plan =
          WorkerDeployer.plan(worker, patterns, deployer.currentRoutes(worker.zoneId()));
      if (!request.dryRun()) {
        deployer.execute(plan, api.accountId(), worker.zoneId());
      }
      return new Result(request.dryRun(), worker, plan, patterns, session.store().describe());
    }
  }
}

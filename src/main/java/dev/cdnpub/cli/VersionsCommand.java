package dev.cdnpub.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdnpub.config.Settings;
import dev.cdnpub.publish.Claim;
import dev.cdnpub.publish.ReleaseCatalog;
import dev.cdnpub.publish.ReleaseVersion;
import dev.cdnpub.store.ObjectStore;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "versions",
    description = "List the sealed versions of a library, newest first (semver order), and versions claimed but not sealed.")
final class VersionsCommand implements Callable<Integer> {
  private final RunContext ctx;

  @Mixin TargetOptions target;
  @Mixin OutputOptions output;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
  boolean help;

  VersionsCommand(RunContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    Settings settings = ctx.storeSettings(target.flags());
    String library = settings.library();
    settings.checkLocalStore(true);
    List<ReleaseVersion> versions;
    java.util.Set<String> yanked;
    List<Claim> unsealed;
    try (ObjectStore store = ctx.stores().open(settings, Long.MAX_VALUE)) {
      ReleaseCatalog catalog = new ReleaseCatalog(store);
      versions = catalog.sealedVersions(library);
      yanked = catalog.yankedVersions(library);
      unsealed = catalog.unsealedClaims(library, versions);
    }
    if (output.json) {
      ObjectNode json = Json.object();
      json.put("command", "versions");
      json.put("library", library);
      var array = json.putArray("versions");
      versions.forEach(v -> array.add(v.toString()));
      var yankedArray = json.putArray("yanked");
      yanked.forEach(yankedArray::add);
      var claimedArray = json.putArray("claimed");
      for (Claim c : unsealed) {
        claimedArray.addObject().put("version", c.version()).put("claimedAt", c.claimedAt()).put("digest", c.digest());
      }
      ctx.console().out(Json.write(json));
    } else {
      if (versions.isEmpty()) {
        ctx.console().err("no published versions of " + library + ".");
      }
      versions.forEach(v -> ctx.console().out(v + (yanked.contains(v.toString()) ? " (yanked)" : "")));
      for (Claim c : unsealed) {
        ctx.console().out(c.version() + " (claimed " + c.claimedAt() + ", not sealed: re-run its publish to finish it; cdnpub show "
            + c.version() + ")");
      }
    }
    return 0;
  }
}

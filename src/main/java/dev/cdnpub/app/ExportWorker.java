package dev.cdnpub.app;

import dev.cdnpub.config.SettingsResolver;
import dev.cdnpub.config.WorkerSettings;
import dev.cdnpub.core.CdnpubException;
import dev.cdnpub.core.ExitCode;
import dev.cdnpub.worker.ResolverScript;
import dev.cdnpub.worker.WranglerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.List;

/** Write the resolver Worker and its wrangler.jsonc (one route per alias in use) to a folder. */
public final class ExportWorker {
  /**
   * @param dir where the files go, relative to the working folder
   */
  public record Request(SettingsResolver.Flags target, Path dir) {}

  /**
   * @param storeDescription the store whose aliases the routes cover
   */
  public record Result(
      Path dir, Path script, Path config, List<String> routes, String storeDescription) {}

  private final Application app;

  public ExportWorker(Application app) {
    this.app = app;
  }

  public Result run(Request request) {
    try (Application.StoreSession session = app.openWholeStore(request.target())) {
      WorkerSettings worker = session.settings().worker(false);
      List<String> patterns = WorkerRoutes.patterns(session.store(), worker.cdnHost());
      Path out = app.workDir().resolve(request.dir());
      Path script = out.resolve(ResolverScript.MAIN_MODULE);
      Path config = out.resolve("wrangler.jsonc");
      try {
        Files.createDirectories(out);
        Files.writeString(script, ResolverScript.source(), StandardCharsets.UTF_8);
        Files.writeString(config, WranglerConfig.render(worker, patterns), StandardCharsets.UTF_8);
      } catch (FileAlreadyExistsException | NotDirectoryException e) {
        throw new CdnpubException(
            ExitCode.USAGE,
            out + " is a file, not a folder; give a folder for the Worker files.",
            e);
      } catch (IOException e) {
        throw new CdnpubException(
            ExitCode.USAGE,
            "cannot write the Worker files to "
                + out
                + " ("
                + e.getClass().getSimpleName()
                + ": "
                + e.getMessage()
                + ").",
            e);
      }
      return new Result(out, script, config, patterns, session.store().describe());
    }
  }
}

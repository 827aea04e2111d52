package dev.cdnpub.startup;

import dev.cdnpub.app.ApiFactory;
import dev.cdnpub.app.StoreFactory;
import dev.cdnpub.cli.Cli;
import dev.cdnpub.cli.Console;
import dev.cdnpub.cli.RunContext;
import dev.cdnpub.store.Digests;
import dev.cdnpub.store.NativeCrypto;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The training run behind cdnpub's class-data-sharing archive: runs the commands users run
 * (publish, re-publish, alias get / set, rollback, versions, show, verify, a local publish, a dry
 * run) in-process against an in-memory S3 and Workers KV on 127.0.0.1 ({@link TrainingServer}), so
 * that a JVM started with {@code -XX:ArchiveClassesAtExit} archives every class those commands
 * load. Later runs map the archive ({@code -XX:SharedArchiveFile}) instead of reading, parsing and
 * verifying those classes from the jar: this is most of a short command's start-up.
 *
 * <p>The launcher (src/main/sh/cdnpub: the bundle's bin/cdnpub, run by scripts/cdnpub) runs it on
 * first use; it writes only below a temporary folder, which it removes, and touches no network
 * beyond its own loopback server. Exit status 0 when every command did what it should, 1 otherwise
 * (the caller then keeps no archive).
 */
public final class ClassArchiveTraining {
  private ClassArchiveTraining() {}

  public static void main(String[] args) throws Exception {
    Path work = Files.createTempDirectory("cdnpub-training");
    int failures = 0;
    try (TrainingServer server = new TrainingServer()) {
      Path dist = library(work.resolve("dist"), "1");
      Path next = library(work.resolve("next"), "2");
      String endpoint = server.endpoint().toString();
      Map<String, String> env = new HashMap<>();
      env.put("CDNPUB_TARGET", "r2");
      env.put("CDNPUB_R2_BUCKET", "training");
      env.put("CDNPUB_R2_ENDPOINT", endpoint);
      env.put("R2_ACCESS_KEY_ID", "training-access-key");
      env.put("R2_SECRET_ACCESS_KEY", "training-secret-key");
      env.put("CLOUDFLARE_ACCOUNT_ID", "training");
      env.put("CDNPUB_KV_NAMESPACE_ID", "training");
      env.put("CLOUDFLARE_API_TOKEN", "training-token");
      env.put("CDNPUB_CLOUDFLARE_API", endpoint + "/client/v4");
      env.put("CDNPUB_LIBRARY", "training");
      env.put("USER", "training");
      String local = work.resolve("local").toString();
      List<String[]> commands =
          List.of(
              new String[] {"--version"},
              new String[] {"publish", dist.toString(), "--version", "1.0.0", "--dry-run"},
              new String[] {"publish", dist.toString(), "--version", "1.0.0"},
              new String[] {"publish", next.toString(), "--version", "1.0.1", "--json"},
              new String[] {"publish", dist.toString(), "--version", "1.0.0"},
              new String[] {"alias", "get", "latest"},
              new String[] {"alias", "set", "v1", "1.0.0"},
              new String[] {"rollback", "v1"},
              new String[] {"alias", "list"},
              new String[] {"alias", "history", "v1", "--json"},
              new String[] {"versions"},
              new String[] {"show", "1.0.0", "--json"},
              new String[] {"verify", "1.0.0", "--json"},
              new String[] {
                "publish",
                dist.toString(),
                "--version",
                "1.0.0",
                "--target",
                "local",
                "--local-dir",
                local
              },
              new String[] {"alias", "get", "latest", "--target", "local", "--local-dir", local});
      // A large publish hashes with NSS when the system has it (NativeCrypto): its classes too.
      Path sample = Files.writeString(work.resolve("sample.txt"), "cdnpub");
      Digests.ofFile(sample, NativeCrypto.provider());
      for (String[] command : commands) {
        int code = run(env, work, command);
        if (code != 0) {
          System.err.println(
              "cdnpub class-archive training: '" + String.join(" ", command) + "' exited " + code);
          failures++;
        }
      }
      // A large publish moves its bytes through NSS (NativeCrypto): TLS's cipher and the SHA-256.
      if (NativeCrypto.preferForTransfers()) {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(
            Cipher.ENCRYPT_MODE,
            new SecretKeySpec(new byte[16], "AES"),
            new GCMParameterSpec(128, new byte[12]));
        cipher.doFinal(new byte[64]);
        MessageDigest.getInstance("SHA-256").digest(new byte[64]);
      }
      // A failing command's error path loads classes too.
      if (run(env, work, "alias", "get", "no-such-alias") != 4) {
        failures++;
      }
    } finally {
      deleteTree(work);
    }
    System.exit(failures == 0 ? 0 : 1);
  }

  private static int run(Map<String, String> env, Path work, String... args) {
    PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
    RunContext ctx =
        new RunContext(
            Map.copyOf(env),
            work,
            new Console(nowhere, nowhere, env),
            Clock.systemUTC(),
            StoreFactory.DEFAULT,
            ApiFactory.DEFAULT);
    return new Cli(ctx).run(args);
  }

  /** A small library folder like a bundler's output. */
  private static Path library(Path dir, String build) throws IOException {
    Files.createDirectories(dir.resolve("chunks"));
    Files.writeString(
        dir.resolve("loader.js"), "export const build = " + build + ";\n", StandardCharsets.UTF_8);
    Files.writeString(
        dir.resolve("loader.js.map"), "{\"version\":3,\"sources\":[]}\n", StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("style.css"), "body{margin:0}\n", StandardCharsets.UTF_8);
    Files.writeString(
        dir.resolve("chunks/app.mjs"), "export default " + build + ";\n", StandardCharsets.UTF_8);
    Files.write(dir.resolve("chunks/core.wasm"), new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0});
    return dir;
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary folder; the OS cleans it up eventually
    }
  }
}

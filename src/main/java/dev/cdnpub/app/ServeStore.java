package dev.cdnpub.app;

import dev.cdnpub.alias.AliasEntry;
import dev.cdnpub.alias.AliasKv;
import dev.cdnpub.alias.AliasLog;
import dev.cdnpub.config.Settings;
import dev.cdnpub.config.SettingsResolver;
import dev.cdnpub.config.TargetKind;
import dev.cdnpub.core.CdnpubException;
import dev.cdnpub.publish.Manifest;
import dev.cdnpub.publish.ReleaseCatalog;
import dev.cdnpub.publish.ReleaseVersion;
import dev.cdnpub.serve.AliasResolver;
import dev.cdnpub.serve.BucketFiles;
import dev.cdnpub.serve.CdnHandler;
import dev.cdnpub.serve.HttpListener;
import dev.cdnpub.serve.RequestLog;
import dev.cdnpub.store.ObjectStore;
import dev.cdnpub.worker.ResolverScript;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * Serves a store over HTTP as the CDN would: alias URLs answered by a port of the resolver Worker
 * with the user's TTL settings, pinned URLs from the store as the public bucket answers them. Every
 * argument and setting is checked before anything listens.
 */
public final class ServeStore {
  /** The port {@code cdnpub serve} listens on by default, as the snippet's local base URL says. */
  public static final int DEFAULT_PORT = 8787;

  /** The address it listens on by default: loopback, so only this machine can reach it. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  /**
   * @param host the address or name to listen on
   * @param port 0 to 65535; 0 picks a free port
   * @param log told about every answer
   */
  public record Request(SettingsResolver.Flags target, String host, int port, RequestLog log) {}

  /**
   * A running server; {@link #close} stops it (requests in flight finish, bounded) and closes the
   * store.
   *
   * @param url where it answers, e.g. http://127.0.0.1:8787
   * @param loopback whether only this machine can reach it
   * @param exampleUrl an alias URL of a published file, when the store has an alias
   */
  public record Serving(
      HttpListener listener,
      ObjectStore store,
      String url,
      String storeDescription,
      String aliasesDescription,
      boolean loopback,
      Optional<String> exampleUrl)
      implements AutoCloseable {
    /** Blocks until the server is closed. */
    public void awaitStopped() throws InterruptedException {
      listener.awaitStopped();
    }

    @Override
    public void close() {
      try {
        listener.close();
      } finally {
        store.close();
      }
    }
  }

  private final Application app;

  public ServeStore(Application app) {
    this.app = app;
  }

  public Serving start(Request request) {
    if (request.port() < 0 || request.port() > 65535) {
      throw CdnpubException.usage(
          "--port " + request.port() + " is not a port (1 to 65535, or 0 for any free port).");
    }
    InetAddress address = address(request.host());
    Settings settings = app.storeSettings(request.target());
    Map<String, String> vars = ResolverScript.vars(settings.workerVars());
    if (settings.target() == TargetKind.R2) {
      settings.requireR2Access();
      settings.kv();
    }
    settings.checkLocalStore();
    ObjectStore store = app.store(settings, Long.MAX_VALUE);
    try {
      AliasKv kv = app.kv(settings);
      AliasResolver resolver = new AliasResolver(kv, vars);
      HttpListener listener;
      try {
        listener =
            HttpListener.start(
                new InetSocketAddress(address, request.port()),
                new CdnHandler(resolver, new BucketFiles(store), request.log()));
      } catch (IOException e) {
        throw CdnpubException.usage(
            "cannot listen on "
                + hostPort(address, request.port())
                + ": "
                + e.getMessage()
                + "; give another --port (or --host).");
      }
      String url = "http://" + hostPort(address, listener.port());
      try {
        return new Serving(
            listener,
            store,
            url,
            store.describe(),
            kv.describe(),
            address.isLoopbackAddress(),
            example(store, settings, url));
      } catch (RuntimeException e) {
        listener.close();
        throw e;
      }
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  private static InetAddress address(String host) {
    try {
      return InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw CdnpubException.usage(
          "--host " + host + " is not an address or a name this machine can resolve.");
    }
  }

  private static String hostPort(InetAddress address, int port) {
    String host = address.getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  /**
   * An alias URL of a published file, to show at startup: the library named in the settings when it
   * has aliases, else the first library that has; {@code latest}, else its first alias; the
   * release's first top-level script, else its first file.
   */
  private static Optional<String> example(ObjectStore store, Settings settings, String base) {
    SortedMap<String, SortedSet<String>> aliases = AliasLog.aliasNamesByLibrary(store);
    if (aliases.isEmpty()) {
      return Optional.empty();
    }
    String library = settings.librarySource() == null ? null : settings.library();
    if (library == null || !aliases.containsKey(library)) {
      library = aliases.firstKey();
    }
    SortedSet<String> names = aliases.get(library);
    String alias = names.contains("latest") ? "latest" : names.first();
    Optional<AliasEntry> entry = new AliasLog(store, library).current(alias);
    if (entry.isEmpty() || !ReleaseVersion.isValid(entry.get().to())) {
      return Optional.empty();
    }
    Optional<Manifest> manifest =
        new ReleaseCatalog(store).manifest(library, ReleaseVersion.parse(entry.get().to()));
    if (manifest.isEmpty() || manifest.get().files().isEmpty()) {
      return Optional.empty();
    }
    List<Manifest.Entry> files = manifest.get().files();
    String file =
        files.stream()
            .map(Manifest.Entry::path)
            .filter(p -> !p.contains("/") && (p.endsWith(".js") || p.endsWith(".mjs")))
            .findFirst()
            .orElse(files.get(0).path());
    return Optional.of(base + "/" + alias + "/" + library + "/" + encodePath(file));
  }

  /** A file path as it is written in a URL: every byte outside the unreserved set escaped. */
  private static String encodePath(String path) {
    StringBuilder out = new StringBuilder();
    for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xFF);
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || "-._~/".indexOf(c) >= 0) {
        out.append(c);
      } else {
        out.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xFF));
      }
    }
    return out.toString();
  }
}

package dev.cdnpub.cli;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code cdnpub --version}: the version, then the JVM settings in effect (collector, heap limit,
 * JIT, class-data sharing, the charset of file names), so that a bug report or a pipeline's log
 * shows whether the launcher's settings took hold.
 */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = VersionProvider.class.getPackage().getImplementationVersion();
    return new String[] {"cdnpub " + (v == null ? "dev" : v), "runtime: " + runtime()};
  }

  /**
   * e.g. {@code Java 17.0.12, SerialGC, max heap 256 MiB, JIT C1 only, class-data archive
   * cdnpub.jsa, file names UTF-8}.
   */
  static String runtime() {
    HotSpotDiagnosticMXBean hotspot =
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    String heap =
        option(hotspot, "MaxHeapSize") == null
            ? Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB"
            : Long.parseLong(option(hotspot, "MaxHeapSize")) / (1024 * 1024) + " MiB";
    String archive = option(hotspot, "SharedArchiveFile");
    boolean sharing = System.getProperty("java.vm.info", "").contains("sharing");
    String cds =
        !sharing
            ? "class-data sharing off"
            : archive == null || archive.isEmpty()
                ? "class-data sharing (the JDK's archive only)"
                : "class-data archive " + Path.of(archive).getFileName();
    return String.join(
        ", ",
        List.of(
            "Java " + System.getProperty("java.version"),
            collector(),
            "max heap " + heap,
            "1".equals(option(hotspot, "TieredStopAtLevel"))
                ? "JIT C1 only"
                : "JIT tiered (C1, C2)",
            cds,
            "file names " + System.getProperty("sun.jnu.encoding", "unknown")));
  }

  private static String collector() {
    List<String> names =
        ManagementFactory.getGarbageCollectorMXBeans().stream()
            .map(GarbageCollectorMXBean::getName)
            .toList();
    String all = String.join(" ", names).toLowerCase(Locale.ROOT);
    if (all.contains("copy") || all.contains("marksweepcompact")) {
      return "SerialGC";
    }
    if (all.contains("g1")) {
      return "G1GC";
    }
    if (all.contains("ps ")) {
      return "ParallelGC";
    }
    return String.join("/", names);
  }

  private static String option(HotSpotDiagnosticMXBean hotspot, String name) {
    if (hotspot == null) {
      return null;
    }
    try {
      return hotspot.getVMOption(name).getValue();
    } catch (IllegalArgumentException e) {
      return null; // not a flag of this JVM
    }
  }
}

package dev.cdnpub.cloudflare;

import dev.cdnpub.core.CdnpubException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The settings of a Worker script upload besides its code. The main module's name is given to
 * {@link WorkersScriptsClient#uploadModule}, which adds it as {@code main_module}.
 *
 * @param compatibilityDate {@code YYYY-MM-DD}; always sent, because without it Cloudflare runs the
 *     Worker with the 2021-11-02 behaviour
 * @param bindings the bindings, names unique
 * @throws CdnpubException {@link dev.cdnpub.core.ExitCode#USAGE} for a malformed date or a binding
 *     name used twice
 */
public record WorkerMetadata(String compatibilityDate, List<WorkerBinding> bindings) {
  public WorkerMetadata {
    Objects.requireNonNull(compatibilityDate, "compatibilityDate");
    try {
      LocalDate.parse(compatibilityDate);
    } catch (DateTimeParseException e) {
      throw CdnpubException.usage(
          "The Worker compatibility date '" + compatibilityDate + "' is not a YYYY-MM-DD date.");
    }
    bindings = List.copyOf(bindings);
    Set<String> names = new HashSet<>();
    for (WorkerBinding binding : bindings) {
      if (!names.add(binding.name())) {
        throw CdnpubException.usage(
            "The Worker binding name '" + binding.name() + "' is used twice.");
      }
    }
  }
}

package dev.cdnpub.testing;

import java.util.Locale;
import java.util.function.Supplier;

/** Runs code with another JVM default locale (every category), restoring the earlier ones after. */
public final class DefaultLocale {
  private DefaultLocale() {}

  /** Arabic (Egypt): its default number format writes Arabic-Indic digits (١٢ for 12). */
  public static final Locale ARABIC = Locale.forLanguageTag("ar-EG");

  public static <T> T during(Locale locale, Supplier<T> work) {
    Locale display = Locale.getDefault(Locale.Category.DISPLAY);
    Locale format = Locale.getDefault(Locale.Category.FORMAT);
    Locale all = Locale.getDefault();
    Locale.setDefault(locale);
    try {
      return work.get();
    } finally {
      Locale.setDefault(all);
      Locale.setDefault(Locale.Category.DISPLAY, display);
      Locale.setDefault(Locale.Category.FORMAT, format);
    }
  }

  /** Whether {@code text} has any Arabic-Indic or Extended Arabic-Indic digit. */
  public static boolean hasArabicDigits(String text) {
    return text.chars().anyMatch(c -> (c >= 0x0660 && c <= 0x0669) || (c >= 0x06F0 && c <= 0x06F9));
  }
}

package dev.cdnpub.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UploadConcurrencyTest {
  @Test
  void givenNumber_isKept_whateverTheRoundTrip() {
    UploadConcurrency given = UploadConcurrency.fixed(7);
    assertFalse(given.chosen());
    assertEquals(7, given.forRoundTrip(0));
    assertEquals(7, given.forRoundTrip(5_000));
    assertThrows(IllegalArgumentException.class, () -> UploadConcurrency.fixed(0));
  }

  @Test
  void chosen_isTheRoundTripTimesTheUploadsTheCoresCanFinish_within16And128() {
    UploadConcurrency twoCores = UploadConcurrency.fromRoundTrip(2);
    assertTrue(twoCores.chosen());
    // 2 cores at ~2 ms of CPU per upload finish ~1,000 uploads a second
    assertEquals(100, twoCores.forRoundTrip(100));
    assertEquals(41, twoCores.forRoundTrip(41));
    assertEquals(16, twoCores.forRoundTrip(3), "a store on this machine: the floor");
    assertEquals(16, twoCores.forRoundTrip(-1), "a clock that went back");
    assertEquals(128, twoCores.forRoundTrip(300), "a distant store: the ceiling");
    assertEquals(80, UploadConcurrency.fromRoundTrip(4).forRoundTrip(40), "more cores, more");
    assertEquals(128, UploadConcurrency.fromRoundTrip(2).forRoundTrip(Long.MAX_VALUE));
  }

  @Test
  void overTls_eachConnectionsHandshakeCounts_soFewerUploadsGoAtOnce_thanWithout() {
    UploadConcurrency twoCores = UploadConcurrency.fromRoundTrip(2);
    // the root of 25 n^2 + uploads x 2 n - uploads x round trip x 2 (ms, 2 cores)
    assertEquals(18, twoCores.forRoundTrip(25, 503, true), "500 small files at 25 ms");
    assertEquals(25, twoCores.forRoundTrip(25, 503, false), "the same without TLS");
    assertEquals(42, twoCores.forRoundTrip(85, 500, true), "500 files at 85 ms");
    assertEquals(85, twoCores.forRoundTrip(85, 500, false));
    assertEquals(21, twoCores.forRoundTrip(25, 1020, true), "1,020 files at 25 ms");
    // a distant store still gets many in flight, and nothing to upload the floor
    assertEquals(128, twoCores.forRoundTrip(2_000, 5_000, true));
    assertEquals(16, twoCores.forRoundTrip(85, 0, true));
    assertEquals(16, twoCores.forRoundTrip(-1, 500, true));
    assertEquals(128, twoCores.forRoundTrip(Long.MAX_VALUE, Integer.MAX_VALUE, true));
    assertEquals(7, UploadConcurrency.fixed(7).forRoundTrip(85, 500, true));
  }
}

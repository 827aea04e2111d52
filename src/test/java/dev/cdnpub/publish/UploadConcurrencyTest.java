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
}

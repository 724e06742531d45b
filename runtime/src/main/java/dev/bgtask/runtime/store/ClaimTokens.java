package dev.bgtask.runtime.store;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The token a claim records, which every later write of that run must match: 122 random bits in
 * a UUID's form. They fence runs, they guard nothing secret, so they come from the thread's own
 * generator rather than {@code UUID.randomUUID()}'s shared SecureRandom, which is slower and takes a lock.
 */
public final class ClaimTokens {

  private ClaimTokens() {}

  public static String next() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (random.nextLong() & ~0xF000L) | 0x4000L; // version 4
    long low = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48); // IETF variant
    return new UUID(high, low).toString();
  }
}

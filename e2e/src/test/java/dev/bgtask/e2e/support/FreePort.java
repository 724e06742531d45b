package dev.bgtask.e2e.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * TCP ports for the servers a test starts. A port the kernel picks (bind to 0) comes from the range
 * it also hands to outgoing connections, and the suite opens thousands of those to its databases:
 * one of them could take the port between the pick and the server's bind. So a port is picked at
 * random below that range, and checked free on every address.
 */
public final class FreePort {

  private static final int LOWEST = 10_000;
  private static final int FALLBACK_EPHEMERAL_START = 32_768;
  private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

  private FreePort() {
  }

  /** A port nothing listens on now, and that no outgoing connection will be given. */
  public static int pick() {
    int below = ephemeralStart();
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(LOWEST, below);
      if (isFree(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no free port between " + LOWEST + " and " + below);
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(port));
      return true;
    } catch (IOException taken) {
      return false;
    }
  }

  private static int ephemeralStart() {
    try {
      int start = Integer.parseInt(Files.readString(EPHEMERAL_RANGE).trim().split("\\s+")[0]);
      return start > LOWEST + 1_000 ? start : FALLBACK_EPHEMERAL_START;
    } catch (IOException | RuntimeException unreadable) {
      return FALLBACK_EPHEMERAL_START;
    }
  }
}

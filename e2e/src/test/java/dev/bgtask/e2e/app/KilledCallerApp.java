package dev.bgtask.e2e.app;

import dev.bgtask.BackgroundTasks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A caller the test kills with SIGKILL right after its calls returned. It says what returned only
 * once the call is back: on standard output, or in a file it forces to disk after every line, so
 * the test knows exactly which calls the application was told were stored.
 */
public final class KilledCallerApp {

  private KilledCallerApp() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "call-twice" -> callTwice(Integer.parseInt(args[1]));
      case "call-many" -> callMany(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
      default -> throw new IllegalArgumentException("unknown scenario " + args[0]);
    }
    System.out.println("serving");
    while (System.in.read() != -1) {
      // wait for the kill
    }
  }

  /**
   * One task this JVM starts at once on its own free worker (its workers serve queue here-ROUND
   * only), and one stored for another JVM (queue elsewhere, which this JVM does not serve).
   */
  private static void callTwice(int round) {
    BackgroundTasks.pause("e2e-unused-queue"); // returns once the agent and its workers run
    long local = BackgroundTasks.options().queue("here-" + round).call(() -> Crashy.holdInCaller("k" + round));
    System.out.println("returned " + local + " here-" + round);
    long elsewhere = BackgroundTasks.options().queue("elsewhere").call(() -> Ledger.post(round));
    System.out.println("returned " + elsewhere + " elsewhere");
  }

  /** {@code count} calls of {@code Ledger.post} from {@code threads} threads; each returned entry is forced to {@code returned}. */
  private static void callMany(Path returned, int count, int threads) throws Exception {
    BackgroundTasks.pause("e2e-unused-queue");
    try (FileChannel file = FileChannel.open(returned, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      System.out.println("calling");
      List<Thread> callers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int first = t;
        Thread caller = new Thread(() -> {
          for (int entry = first; entry < count; entry += threads) {
            Ledger.post(entry);
            writeForced(file, entry + "\n");
          }
        });
        callers.add(caller);
        caller.start();
      }
      for (Thread caller : callers) {
        caller.join();
      }
      System.out.println("called " + count);
    }
  }

  private static void writeForced(FileChannel file, String line) {
    synchronized (file) {
      try {
        file.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.US_ASCII)));
        file.force(false);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}

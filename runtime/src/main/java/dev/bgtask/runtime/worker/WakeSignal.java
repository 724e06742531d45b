package dev.bgtask.runtime.worker;

/** Lets an enqueue or a finished task cut an idle dispatcher's wait short. A signal is never lost. */
final class WakeSignal {

  private boolean signalled;

  synchronized void signal() {
    signalled = true;
    notifyAll();
  }

  /** Waits until signalled or {@code millis} have passed; consumes the signal. */
  synchronized void await(long millis) throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000L;
    while (!signalled) {
      long left = (deadline - System.nanoTime()) / 1_000_000L;
      if (left <= 0) {
        break;
      }
      wait(left);
    }
    signalled = false;
  }
}

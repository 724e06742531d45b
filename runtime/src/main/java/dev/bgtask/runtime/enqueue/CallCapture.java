package dev.bgtask.runtime.enqueue;

import dev.bgtask.BackgroundCall;
import dev.bgtask.TaskFailedException;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds out which {@code @Background} call a lambda makes: while the lambda runs, rewritten methods
 * called on this thread report to the capture instead of storing a task.
 */
public final class CallCapture {

  private static final ThreadLocal<List<CapturedCall>> capturing = new ThreadLocal<>();

  private CallCapture() {}

  /** Takes the call when this thread is capturing; false means store it as usual. */
  public static boolean offer(CapturedCall call) {
    List<CapturedCall> calls = capturing.get();
    if (calls == null) {
      return false;
    }
    calls.add(call);
    return true;
  }

  /** Runs {@code lambda} and returns its one {@code @Background} call; {@code api} names the caller in errors. */
  public static CapturedCall single(BackgroundCall lambda, String api) {
    List<CapturedCall> outer = capturing.get();
    List<CapturedCall> calls = new ArrayList<>(1);
    capturing.set(calls);
    try {
      lambda.run();
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Exception e) {
      throw new TaskFailedException(api + ": the lambda threw " + e, e);
    } finally {
      capturing.set(outer);
    }
    if (calls.size() != 1) {
      throw new IllegalArgumentException(api + ": the lambda must make exactly one call of a @Background method,"
          + " but it made " + calls.size() + (calls.isEmpty() ? " (is the method annotated, and the agent attached?)" : ""));
    }
    return calls.get(0);
  }
}

package dev.bgtask.e2e.app;

import com.sun.tools.attach.VirtualMachine;

/**
 * Loads one {@code @Background} class, attaches the agent (its jar is the first argument) to its
 * own JVM, then calls another such class; serves until standard input closes. Nothing of
 * {@code dev.bgtask} is touched before the attach, as in an application that attaches late.
 */
public final class LateAttachApp {

  private LateAttachApp() {}

  public static void main(String[] args) throws Exception {
    Class.forName("dev.bgtask.e2e.app.LoadedEarly");
    VirtualMachine self = VirtualMachine.attach(String.valueOf(ProcessHandle.current().pid()));
    try {
      self.loadAgent(args[0]);
    } finally {
      self.detach();
    }
    Ledger.post(1); // loaded only now, while the agent still finishes its start in the background
    System.out.println("called");
    while (System.in.read() != -1) {
      // serve
    }
  }
}

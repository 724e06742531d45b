package dev.bgtask.runtime.worker;

import java.net.InetAddress;
import java.util.UUID;

/** Who holds a claim: host, process id and a random id, written on every row this JVM claims. */
public record WorkerIdentity(String host, long pid, String randomId) {

  public static WorkerIdentity ofThisJvm() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      host = "unknown-host";
    }
    return new WorkerIdentity(host, ProcessHandle.current().pid(), UUID.randomUUID().toString().substring(0, 8));
  }

  /** The same host and process under a new random id: what a JVM works on as after it lost its lease. */
  public WorkerIdentity renewed() {
    return new WorkerIdentity(host, pid, UUID.randomUUID().toString().substring(0, 8));
  }

  @Override
  public String toString() {
    return host + ":" + pid + ":" + randomId;
  }
}

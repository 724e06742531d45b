package dev.bgtask.e2e.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One worker JVM's network link to the local PostgreSQL server, a TCP relay in the test's JVM that
 * the test can cut: the open connections drop, and new ones are accepted but never answered, as
 * when a host is cut off from the database while the others still reach it.
 */
public final class CuttableLink implements AutoCloseable {

  private final ServerSocket listening;
  private final int serverPort;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private volatile boolean cut;

  public CuttableLink(int serverPort) {
    this.serverPort = serverPort;
    try {
      listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread acceptor = new Thread(this::accept, "link-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** {@code url}, a PostgreSQL URL on this machine, through this link. */
  public String through(String url) {
    return url.replace("127.0.0.1:" + serverPort, "127.0.0.1:" + listening.getLocalPort());
  }

  public void cut() {
    cut = true;
    dropAll();
  }

  /** The connections held unanswered while cut are dropped too: their clients connect again. */
  public void restore() {
    cut = false;
    dropAll();
  }

  private void dropAll() {
    open.forEach(CuttableLink::closeQuietly);
    open.clear();
  }

  private void accept() {
    while (!listening.isClosed()) {
      try {
        Socket client = listening.accept();
        open.add(client);
        if (cut) {
          continue; // accepted, never answered
        }
        Socket server = new Socket(InetAddress.getLoopbackAddress(), serverPort);
        open.add(server);
        relay(client, server);
        relay(server, client);
      } catch (IOException e) {
        // closed, or the server refused
      }
    }
  }

  private static void relay(Socket from, Socket to) {
    Thread thread = new Thread(() -> {
      byte[] buffer = new byte[64 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        for (int read = in.read(buffer); read > 0; read = in.read(buffer)) {
          out.write(buffer, 0, read);
          out.flush();
        }
      } catch (IOException e) {
        // one side went away
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }, "link-relay");
    thread.setDaemon(true);
    thread.start();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closed already
    }
  }

  @Override
  public void close() throws IOException {
    listening.close();
    dropAll();
  }
}

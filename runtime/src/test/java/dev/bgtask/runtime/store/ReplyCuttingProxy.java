package dev.bgtask.runtime.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TCP relay between the agent and the local PostgreSQL server that can lose a reply the way a
 * broken network does: once armed, it closes the connection instead of passing on the server's
 * answer to a multi-row INSERT, which the server has executed and committed by then. It can also
 * swallow every connection, as a server whose host is down or cut off: accepted, never answered.
 */
final class ReplyCuttingProxy implements AutoCloseable {

  /** PostgreSQL's CommandComplete tag of an INSERT of two rows or more. */
  private static final Pattern MULTI_ROW_INSERT = Pattern.compile("INSERT 0 ([2-9]|[1-9][0-9]+)\u0000");

  private final ServerSocket listening;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private volatile boolean armed;
  private volatile boolean swallowing;
  private final AtomicInteger cutRows = new AtomicInteger();

  ReplyCuttingProxy() throws IOException {
    listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + listening.getLocalPort() + "/" + database;
  }

  /** The next reply to a multi-row INSERT is lost, with its connection. */
  void cutNextMultiRowInsertReply() {
    armed = true;
  }

  /** How many rows the INSERT whose reply was lost stored; 0 while none was. */
  int rowsOfTheLostReply() {
    return cutRows.get();
  }

  /** From now on no connection is answered, and the open ones are dropped. */
  void swallowEverything() {
    swallowing = true;
    open.forEach(ReplyCuttingProxy::closeQuietly);
  }

  private void accept() {
    while (!listening.isClosed()) {
      try {
        Socket client = listening.accept();
        open.add(client);
        if (swallowing) {
          continue;
        }
        Socket server = new Socket(InetAddress.getLoopbackAddress(), 5432);
        open.add(server);
        pump(client, server, false);
        pump(server, client, true);
      } catch (IOException e) {
        // closed
      }
    }
  }

  private void pump(Socket from, Socket to, boolean fromServer) {
    Thread thread = new Thread(() -> {
      byte[] buffer = new byte[64 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        for (int read = in.read(buffer); read > 0; read = in.read(buffer)) {
          if (fromServer && armed) {
            Matcher insert = MULTI_ROW_INSERT.matcher(new String(buffer, 0, read, StandardCharsets.ISO_8859_1));
            if (insert.find()) {
              armed = false;
              cutRows.set(Integer.parseInt(insert.group(1)));
              break;
            }
          }
          out.write(buffer, 0, read);
          out.flush();
        }
      } catch (IOException e) {
        // one side went away
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }, "proxy-pump");
    thread.setDaemon(true);
    thread.start();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    listening.close();
    open.forEach(ReplyCuttingProxy::closeQuietly);
  }
}

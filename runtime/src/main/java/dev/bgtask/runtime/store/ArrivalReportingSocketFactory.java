package dev.bgtask.runtime.store;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.SocketFactory;

/**
 * Sockets that run a callback the moment bytes arrive, for the connection that listens for
 * notifications. pgjdbc's {@code getNotifications}, having read one, waits up to 1 ms more for
 * further messages before it returns; the socket hears the arrival that much sooner. pgjdbc
 * instantiates this class by name (its {@code socketFactory} property) and hands it one string
 * ({@code socketFactoryArg}): the key under which the callback waits to be taken by its socket.
 */
public final class ArrivalReportingSocketFactory extends SocketFactory {

  private static final Map<String, Runnable> waiting = new ConcurrentHashMap<>();

  private final String key;

  /** Called by pgjdbc with the connection's properties. */
  public ArrivalReportingSocketFactory(Properties properties) {
    this.key = properties.getProperty("socketFactoryArg", "");
  }

  /** Leaves {@code onArrival} for the next socket made with the returned key. */
  static String offer(Runnable onArrival) {
    String key = UUID.randomUUID().toString();
    waiting.put(key, onArrival);
    return key;
  }

  /** Forgets a callback no socket took (the connection failed before it made one). */
  static void withdraw(String key) {
    waiting.remove(key);
  }

  @Override
  public Socket createSocket() {
    Runnable onArrival = waiting.remove(key);
    return onArrival == null ? new Socket() : new ArrivalReportingSocket(onArrival);
  }

  // pgjdbc makes its sockets unconnected (above); the connecting forms are here for completeness.
  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return connected(new InetSocketAddress(host, port), null);
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
    return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return connected(new InetSocketAddress(host, port), null);
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
    return connected(new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
  }

  private Socket connected(InetSocketAddress remote, InetSocketAddress local) throws IOException {
    Socket socket = createSocket();
    if (local != null) {
      socket.bind(local);
    }
    socket.connect(remote);
    return socket;
  }

  private static final class ArrivalReportingSocket extends Socket {
    private final Runnable onArrival;
    private InputStream input;

    ArrivalReportingSocket(Runnable onArrival) {
      this.onArrival = onArrival;
    }

    @Override
    public synchronized InputStream getInputStream() throws IOException {
      if (input == null) {
        input = new ArrivalReportingInput(super.getInputStream(), onArrival);
      }
      return input;
    }
  }

  private static final class ArrivalReportingInput extends FilterInputStream {
    private final Runnable onArrival;

    ArrivalReportingInput(InputStream in, Runnable onArrival) {
      super(in);
      this.onArrival = onArrival;
    }

    @Override
    public int read() throws IOException {
      int next = super.read();
      if (next >= 0) {
        onArrival.run();
      }
      return next;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int read = super.read(buffer, offset, length);
      if (read > 0) {
        onArrival.run();
      }
      return read;
    }
  }
}

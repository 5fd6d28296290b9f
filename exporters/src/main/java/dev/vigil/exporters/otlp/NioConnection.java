package dev.vigil.exporters.otlp;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;

/**
 * One non-blocking TCP connection to a collector, carrying one request at a time and kept open between them
 * (keep-alive). Used on the agent's scheduler thread only.
 */
final class NioConnection {
    final SocketChannel channel;
    /** Where responses are read into; 8 KB, an OTLP response is usually a few bytes. */
    final ByteBuffer readBuffer = ByteBuffer.allocate(8192);
    private boolean connected;
    /** Requests this connection carried to their end; more than zero means a reused connection. */
    int completedRequests;
    long idleSinceNanos;

    private NioConnection(SocketChannel channel, boolean connected) {
        this.channel = channel;
        this.connected = connected;
    }

    /**
     * Starts connecting to {@code host:port}, resolving the host now (a DNS lookup on the calling thread; with
     * keep-alive, once per connection). Connecting ends in {@link #finishConnect()}.
     *
     * @throws ConnectException when the host does not resolve or the connect fails at once
     */
    static NioConnection open(String host, int port) throws IOException {
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new ConnectException("cannot resolve " + host);
        }
        SocketChannel channel = SocketChannel.open();
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            return new NioConnection(channel, channel.connect(address));
        } catch (IOException | UnresolvedAddressException | UnsupportedAddressTypeException e) {
            closeQuietly(channel);
            throw e instanceof ConnectException ce ? ce
                    : (ConnectException) new ConnectException("connect to " + host + ":" + port + " failed: " + e).initCause(e);
        }
    }

    boolean connected() {
        return connected;
    }

    /** True once connected; false while the connect is in progress. */
    boolean finishConnect() throws IOException {
        if (!connected) {
            try {
                connected = channel.finishConnect();
            } catch (ConnectException e) {
                throw e;
            } catch (IOException e) {
                throw (ConnectException) new ConnectException(e.getMessage()).initCause(e);
            }
        }
        return connected;
    }

    /**
     * An idle connection is still usable: the peer has not closed it (a read returning -1) and sent nothing
     * unasked. A connection that fails this is of no further use.
     */
    boolean stillUsable() {
        try {
            readBuffer.clear();
            return channel.read(readBuffer) == 0;
        } catch (IOException e) {
            return false;
        }
    }

    void close() {
        closeQuietly(channel);
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing to do: the connection is gone either way
        }
    }
}

package jobs.runner;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import jobs.protocol.Frames;
import jobs.protocol.Message;

/**
 * The runner's connection to the daemon. One thread reads while another writes: the streams call
 * the channel directly, because Channels.newInputStream/newOutputStream may hold the channel's
 * blocking lock for a whole read, which would block every write behind it. Writes are serialised
 * here so frames from the waiter and the reader never interleave.
 */
final class DaemonLink implements AutoCloseable {
    private final SocketChannel channel;
    private final InputStream in;
    private final Object writeLock = new Object();

    private DaemonLink(SocketChannel channel) {
        this.channel = channel;
        this.in = new BufferedInputStream(new ChannelIn(channel), 8192);
    }

    static DaemonLink connect(Path socket) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
            return new DaemonLink(ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** The next frame, or null when the daemon closed the connection. */
    Message read() throws IOException {
        return Frames.read(in);
    }

    void send(Message m) throws IOException {
        ByteBuffer frame = ByteBuffer.wrap(Frames.encode(m));
        synchronized (writeLock) {
            while (frame.hasRemaining()) channel.write(frame);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to tell anyone: the runner is leaving
        }
    }

    private static final class ChannelIn extends InputStream {
        private final SocketChannel channel;

        ChannelIn(SocketChannel channel) {
            this.channel = channel;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) return 0;
            int n;
            do {
                n = channel.read(ByteBuffer.wrap(b, off, len));
            } while (n == 0);
            return n;
        }
    }
}

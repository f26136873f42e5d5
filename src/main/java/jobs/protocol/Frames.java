package jobs.protocol;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A frame is a 4-byte big-endian length, then that many bytes of UTF-8 JSON. The length is checked
 * before anything is allocated, and the body's buffer grows only as its bytes arrive, so a
 * garbage or lying header cannot make a peer reserve memory it never fills.
 */
public final class Frames {
    public static final int MAX_FRAME = 1 << 20;

    private Frames() {}

    public static byte[] encode(Message m) {
        byte[] json = Json.encode(m).getBytes(StandardCharsets.UTF_8);
        if (json.length > MAX_FRAME) throw new IllegalArgumentException("frame too large: " + json.length);
        return ByteBuffer.allocate(4 + json.length).putInt(json.length).put(json).array();
    }

    /** Reads one frame; null on a clean end of stream before its first byte. */
    public static Message read(InputStream in) throws IOException {
        int b0 = in.read();
        if (b0 < 0) return null;
        DataInputStream data = new DataInputStream(in);
        int len;
        try {
            len = (b0 << 24) | (data.readUnsignedByte() << 16) | (data.readUnsignedShort());
        } catch (EOFException e) {
            throw new IOException("truncated frame header");
        }
        if (len < 0 || len > MAX_FRAME) throw new IOException("frame of " + Integer.toUnsignedString(len)
                + " bytes exceeds the limit of " + MAX_FRAME);
        // readNBytes grows its buffer as bytes arrive: a peer that announces a megabyte and
        // sends nothing costs nothing, however many such peers there are
        byte[] body = data.readNBytes(len);
        if (body.length < len) throw new IOException("truncated frame: " + len + " bytes announced");
        return Json.decode(new String(body, StandardCharsets.UTF_8));
    }

    public static void write(OutputStream out, Message m) throws IOException {
        out.write(encode(m));
        out.flush();
    }
}

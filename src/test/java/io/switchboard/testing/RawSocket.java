package io.switchboard.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A client that misbehaves the way real devices do, on a plain TCP socket: it can stop after the upgrade, never
 * read, never answer a ping, reset the connection, or never send a byte at all.
 */
public final class RawSocket implements AutoCloseable {

    private final Socket socket;
    private String upgradeHead = "";

    private RawSocket(Socket socket) {
        this.socket = socket;
    }

    /** A TCP connection that has sent nothing yet. */
    public static RawSocket open(URI http) throws IOException {
        return open(http, 0);
    }

    /** {@link #open(URI)} with a receive buffer of this size (0: the system's), so unread data backs up soon. */
    public static RawSocket open(URI http, int receiveBuffer) throws IOException {
        return open(http, receiveBuffer, null);
    }

    /** {@link #open(URI)} from this local address (any of 127.0.0.0/8 on loopback): another client's address. */
    public static RawSocket openFrom(URI http, InetAddress from) throws IOException {
        return open(http, 0, from);
    }

    private static RawSocket open(URI http, int receiveBuffer, InetAddress from) throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        if (from != null) {
            socket.bind(new InetSocketAddress(from, 0));
        }
        socket.connect(new InetSocketAddress(http.getHost(), http.getPort()), 5000);
        socket.setSoTimeout(10_000);
        return new RawSocket(socket);
    }

    /** Upgrades to a WebSocket on {@code /ws?query} and reads the response head only, nothing after it. */
    public static RawSocket upgraded(URI ws, String query) throws IOException {
        return upgraded(ws, query, "");
    }

    /** {@link #upgraded(URI, String)} with more request headers ({@code "Name: value\r\n"} each). */
    public static RawSocket upgraded(URI ws, String query, String extraHeaders) throws IOException {
        return upgraded(ws, query, extraHeaders, 0);
    }

    /** An upgraded connection whose receive buffer is tiny: a client that does not read is soon a slow consumer. */
    public static RawSocket upgradedWithSmallBuffer(URI ws, String query) throws IOException {
        return upgraded(ws, query, "", 4096);
    }

    /** {@link #upgraded(URI, String)} from this local address: another client's address on loopback. */
    public static RawSocket upgradedFrom(URI ws, String query, InetAddress from) throws IOException {
        return open(ws, 0, from).upgrade(ws, query, "");
    }

    private static RawSocket upgraded(URI ws, String query, String extraHeaders, int receiveBuffer) throws IOException {
        return open(ws, receiveBuffer).upgrade(ws, query, extraHeaders);
    }

    /** Sends the upgrade request; fails, closing the socket, unless the answer is 101. */
    private RawSocket upgrade(URI ws, String query, String extraHeaders) throws IOException {
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        String request = "GET " + ws.getPath() + "?" + query + " HTTP/1.1\r\n"
                + "Host: " + ws.getHost() + ":" + ws.getPort() + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n" + extraHeaders + "\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        String head = readHead();
        upgradeHead = head;
        if (!head.startsWith("HTTP/1.1 101")) {
            close();
            throw new IllegalStateException("upgrade refused: " + head.lines().findFirst().orElse(head));
        }
        return this;
    }

    /** Reads a response head, up to its empty line. */
    public String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed during the upgrade");
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /** Reads a whole HTTP response (its head, then a body of its {@code Content-Length}); returns the head. */
    public String readResponse() throws IOException {
        socket.setSoTimeout(10_000);
        String head = readHead();
        int length = head.lines().filter(line -> line.toLowerCase(Locale.ROOT).startsWith("content-length:"))
                .map(line -> Integer.parseInt(line.substring(line.indexOf(':') + 1).trim())).findFirst().orElse(0);
        if (socket.getInputStream().readNBytes(length).length < length) {
            throw new IOException("closed in the middle of a response body");
        }
        return head;
    }

    /** The server's answer to the upgrade, headers included. */
    public String upgradeHead() {
        return upgradeHead;
    }

    /** Sends one masked frame, as a client must; {@code rsv1} marks it compressed. */
    public void sendFrame(int opcode, byte[] payload, boolean rsv1) throws IOException {
        write(frame(true, rsv1 ? 0x4 : 0, opcode, payload, true));
    }

    /** One frame's bytes as the wire carries them: {@code rsv} is the three reserved bits (4 = RSV1). */
    public static byte[] frame(boolean fin, int rsv, int opcode, byte[] payload, boolean masked) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write((fin ? 0x80 : 0) | (rsv << 4) | opcode);
        int mask = masked ? 0x80 : 0;
        if (payload.length < 126) {
            frame.write(mask | payload.length);
        } else if (payload.length < 65536) {
            frame.write(mask | 126);
            frame.write(payload.length >> 8);
            frame.write(payload.length);
        } else {
            frame.write(mask | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >> shift));
            }
        }
        if (!masked) {
            frame.writeBytes(payload);
            return frame.toByteArray();
        }
        byte[] key = new byte[4];
        ThreadLocalRandom.current().nextBytes(key);
        frame.writeBytes(key);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ key[i % 4]);
        }
        return frame.toByteArray();
    }

    /**
     * Reads frames until the server closes, stays quiet for {@code quiet}, or {@code atMost} has passed, and counts
     * them by opcode (index 0x0 to 0xF); the close frame's status code, if one came, is at index 16.
     */
    public int[] countFrames(Duration quiet, Duration atMost) throws IOException {
        int[] counts = new int[17];
        socket.setSoTimeout((int) quiet.toMillis());
        long deadline = System.nanoTime() + atMost.toNanos();
        try {
            Frame frame;
            while (System.nanoTime() < deadline && (frame = nextFrame()) != null) {
                counts[frame.opcode()]++;
                if (frame.opcode() == CLOSE) {
                    counts[16] = frame.closeStatus();
                    return counts;
                }
            }
            return counts;
        } catch (IOException quietOrReset) {
            return counts;
        }
    }

    /** Reads frames until a close frame and returns its status code; -1 when the connection ends without one. */
    public int readCloseCode() throws IOException {
        try {
            Frame frame;
            while ((frame = nextFrame()) != null) {
                if (frame.opcode() == CLOSE) {
                    return frame.closeStatus();
                }
            }
            return -1;
        } catch (IOException reset) {
            return -1;
        }
    }

    /**
     * Reads the next text message, its continuation frames joined and control frames skipped; null once the
     * server closes (a close frame or the end of the stream).
     */
    public String readTextMessage() throws IOException {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        Frame frame;
        while ((frame = nextFrame()) != null && frame.opcode() != CLOSE) {
            if (frame.opcode() == 0x1 || frame.opcode() == 0x0) {
                message.write(frame.payload());
                if (frame.fin()) {
                    return message.toString(StandardCharsets.UTF_8);
                }
            }
        }
        return null;
    }

    private static final int CLOSE = 0x8;

    /** One frame from the server (never masked); null at the end of the stream. */
    private Frame nextFrame() throws IOException {
        InputStream in = socket.getInputStream();
        int first = in.read();
        int second = in.read();
        if (first < 0 || second < 0) {
            return null;
        }
        long length = second & 0x7F;
        if (length == 126) {
            length = (in.read() << 8) | in.read();
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = (length << 8) | in.read();
            }
        }
        return new Frame((first & 0x80) != 0, first & 0x0F, in.readNBytes((int) length));
    }

    private record Frame(boolean fin, int opcode, byte[] payload) {
        /** A close frame's status code; 1005 when it names none. */
        int closeStatus() {
            return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
        }
    }

    /** Sends bytes as they are, for clients that speak too slowly or wrongly. */
    public void write(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    /** Reads and throws away what arrives for a while; returns the bytes read, or -1 once the server closed. */
    public long drain(Duration atMost) throws IOException {
        long deadline = System.nanoTime() + atMost.toNanos();
        long read = 0;
        byte[] buffer = new byte[8192];
        while (System.nanoTime() < deadline) {
            socket.setSoTimeout((int) Math.max(1, Math.min(200, (deadline - System.nanoTime()) / 1_000_000)));
            try {
                int n = socket.getInputStream().read(buffer);
                if (n < 0) {
                    return -1;
                }
                read += n;
            } catch (SocketTimeoutException quiet) {
                // nothing this moment: keep listening until the deadline
            }
        }
        return read;
    }

    /** Whether the server closed the connection within the bound (reading and dropping whatever came first). */
    public boolean closedByServerWithin(Duration atMost) throws IOException {
        try {
            return drain(atMost) < 0;
        } catch (IOException reset) {
            return true;
        }
    }

    /**
     * Sends the bytes one at a time, each followed by a pause of up to 100 ms while watching for the server's close,
     * as a slowloris would: whether the server cut the connection before the last byte was sent.
     */
    public boolean cutOffWhileTrickling(byte[] bytes) throws IOException {
        for (byte b : bytes) {
            try {
                write(new byte[] { b });
            } catch (IOException closed) {
                return true;
            }
            if (closedByServerWithin(Duration.ofMillis(100))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the server reset the connection within the bound (reading and dropping whatever came first), as
     * opposed to closing it in order or not at all.
     */
    public boolean resetByServerWithin(Duration atMost) {
        try {
            drain(atMost);
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    /** Drops the connection with a TCP reset, as a phone losing its network right after the upgrade. */
    public void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

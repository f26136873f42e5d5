package jobs.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Unix sockets of this machine that hold unread or unsent bytes, with their owners (ss -xp):
 * a key stuck in a socket whose reader is parked tells a lost wake-up from a key never sent.
 */
public final class SocketQueues {
    private SocketQueues() {}

    public static void print() {
        try {
            Process p = new ProcessBuilder("ss", "-xpn").redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
            List<String> queued = out.lines().filter(SocketQueues::holdsBytes).toList();
            System.out.println("== unix sockets holding bytes (" + queued.size() + ") ==");
            queued.forEach(l -> System.out.println(l.length() > 300 ? l.substring(0, 300) + "..." : l));
        } catch (IOException e) {
            System.out.println("== no socket queues: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** ss columns: Netid State Recv-Q Send-Q ...; the header and empty queues are left out. */
    private static boolean holdsBytes(String line) {
        String[] w = line.trim().split("\\s+");
        if (w.length < 4 || !w[2].matches("\\d+") || !w[3].matches("\\d+")) return false;
        return !w[2].equals("0") || !w[3].equals("0");
    }
}

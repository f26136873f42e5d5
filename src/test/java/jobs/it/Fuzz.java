package jobs.it;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * Generated hostile input: random bytes, frames with lying headers, and JSON objects of the
 * protocol's types with fields of the wrong kind. Never a KillServer, and every command names
 * something that does not exist, so no frame can legitimately start a job or stop the daemon.
 */
final class Fuzz {
    private static final List<String> TYPES = List.of("Request.Run", "Request.Continue", "Request.ListJobs",
            "Request.Resize", "RunnerMessage.Hello", "RunnerMessage.Warm", "RunnerMessage.Report", "RunnerMessage.Start",
            "RunnerMessage.Resume", "Event.Error", "Event.Running", "Request.Nope", "");
    private static final List<String> FIELDS = List.of("command", "env", "cwd", "rows", "cols", "detached",
            "id", "fetchOutput", "jobId", "runner", "token", "kind", "pid", "errno", "v", "type");

    private Fuzz() {}

    static byte[] input(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> bytes(r, r.nextInt(64));
            case 1 -> {
                byte[] body = json(r).getBytes(StandardCharsets.UTF_8);
                int lie = r.nextBoolean() ? r.nextInt() : body.length + r.nextInt(16) - 8;
                yield ByteBuffer.allocate(4 + body.length).putInt(lie).put(body).array();
            }
            case 2 -> {
                byte[] f = HostileInputTest.frame(json(r));
                yield java.util.Arrays.copyOf(f, r.nextInt(f.length + 1));
            }
            default -> HostileInputTest.frame(json(r));
        };
    }

    private static byte[] bytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    private static String json(Random r) {
        StringBuilder sb = new StringBuilder("{\"v\":").append(r.nextInt(10) == 0 ? value(r, 0) : "1");
        sb.append(",\"type\":\"").append(TYPES.get(r.nextInt(TYPES.size()))).append('"');
        int n = r.nextInt(7);
        for (int i = 0; i < n; i++) {
            sb.append(",\"").append(FIELDS.get(r.nextInt(FIELDS.size()))).append("\":").append(value(r, 0));
        }
        return sb.append('}').toString();
    }

    private static String value(Random r, int depth) {
        int k = depth > 2 ? r.nextInt(6) : r.nextInt(9);
        return switch (k) {
            case 0 -> "null";
            case 1 -> Integer.toString(r.nextInt());
            case 2 -> Long.toString(r.nextLong()) + (r.nextBoolean() ? "e300" : "");
            case 3 -> r.nextBoolean() ? "true" : "false";
            case 4 -> "\"" + junk(r) + "\"";
            case 5 -> "-0.5";
            case 6 -> "[\"no-such-command-" + Integer.toHexString(r.nextInt()) + "\"," + value(r, depth + 1) + "]";
            case 7 -> "{\"" + junk(r) + "\":" + value(r, depth + 1) + ",\"PATH\":" + value(r, depth + 1) + "}";
            default -> "[" + value(r, depth + 1) + "]";
        };
    }

    private static String junk(Random r) {
        String[] pieces = {"", "/", "..", "\\u0000", "\\ud800", "é", "%s", "$(x)", "a=b", "/tmp", "\\\""};
        StringBuilder sb = new StringBuilder();
        for (int i = r.nextInt(4); i > 0; i--) sb.append(pieces[r.nextInt(pieces.length)]);
        return sb.toString();
    }
}

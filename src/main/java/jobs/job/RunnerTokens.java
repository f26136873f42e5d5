package jobs.job;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The secret a runner is started with and must show when it connects back, so that no other
 * process of the user's can pose as a job's runner. Cold runners and warm ones share it.
 */
public final class RunnerTokens {
    private static final SecureRandom RANDOM = new SecureRandom();

    private RunnerTokens() {}

    public static String fresh() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** Constant time, so that a wrong guess tells nothing about how close it came. */
    public static boolean same(String expected, String given) {
        return expected != null && MessageDigest.isEqual(
                String.valueOf(given).getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }
}

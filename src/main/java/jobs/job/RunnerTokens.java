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

    /**
     * The token a runner shows a daemon that did not start it (RunnerMessage.Adopt): derived from
     * the user's secret (a file only the user can read, kept across daemons), the job's id and the
     * runner's pid, so that a new daemon can check it without having seen it, and a token stolen
     * from one runner is worth nothing to another process (the daemon takes the pid from the
     * kernel, SO_PEERCRED).
     */
    public static String adoption(byte[] secret, int jobId, long runnerPid) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(("jobs-adopt " + jobId + " " + runnerPid)
                    .getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** Constant time, so that a wrong guess tells nothing about how close it came. */
    public static boolean same(String expected, String given) {
        return expected != null && MessageDigest.isEqual(
                String.valueOf(given).getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }
}

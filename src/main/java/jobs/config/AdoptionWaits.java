package jobs.config;

/**
 * How long a daemon that started after a crash waits for what the previous one left behind.
 * Settings, not constants, so that tests of crashes need not sit through the waits meant for a
 * loaded machine.
 *
 * @param settleMillis how long list and continue wait for surviving runners to come back
 * @param clientWaitMillis how long a client that was attached waits for its own job's runner
 *     (within the client's own patience: client.Reattach gives up after a minute)
 * @param clientHoldMillis how long an adopted job that had a client is kept for it: a client
 *     reattaches within moments of the new daemon, one that has not by then is not coming
 */
public record AdoptionWaits(long settleMillis, long clientWaitMillis, long clientHoldMillis) {
    public static final AdoptionWaits DEFAULTS = new AdoptionWaits(10_000, 45_000, 10_000);
}

package jobs.daemon;

import java.util.List;
import java.util.function.BooleanSupplier;
import jobs.job.Unattended;

/**
 * Everyone told when a job ends or stops with no terminal attached: the shells' notices and the
 * finish hook. Nobody is told while the daemon shuts down: kill-server ends every job on
 * purpose (the user needs no notice of it), and a hook started then would outlive the daemon.
 */
final class UnattendedEvents implements Unattended.Listener {
    private final List<Unattended.Listener> listeners;
    private final BooleanSupplier shuttingDown;

    UnattendedEvents(List<Unattended.Listener> listeners, BooleanSupplier shuttingDown) {
        this.listeners = List.copyOf(listeners);
        this.shuttingDown = shuttingDown;
    }

    @Override
    public void happened(Unattended e) {
        if (shuttingDown.getAsBoolean()) return;
        for (Unattended.Listener l : listeners) l.happened(e);
    }
}

package jobs.daemon;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import jobs.config.JvmCommand;
import jobs.config.RuntimePaths;
import jobs.job.Job;
import jobs.job.JobServices;
import jobs.job.RunnerTokens;
import jobs.job.WarmRunner;
import jobs.protocol.RunnerMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Makes the job of a run, the one place that does: in a warm runner from the pool or in a
 * runner started now. The job is in the table and known to {@link Adoptions} before its command
 * starts, so that a runner's first report, or a later daemon, always finds it.
 */
final class JobStarter {
    private static final Logger log = LoggerFactory.getLogger(JobStarter.class);

    private final RuntimePaths paths;
    private final long backlogBytes;
    private final JobTable table;
    private final Adoptions adoptions;
    private final JobServices services;

    JobStarter(RuntimePaths paths, long backlogBytes, JobTable table, Adoptions adoptions, JobServices services) {
        this.paths = paths;
        this.backlogBytes = backlogBytes;
        this.table = table;
        this.adoptions = adoptions;
        this.services = services;
    }

    /**
     * The job in a runner claimed from the pool; it starts when the runner is handed the job.
     * The id is the run's, taken from the table when the request came (a waiting job had it long before).
     */
    Job inWarmRunner(RunOrder order, WarmRunner warm, int id) {
        MDC.put("job", Integer.toString(id));
        Job job = Job.adopt(order.spec(id), warm, backlogBytes, () -> forget(id), services, adoptions.secret());
        register(job);
        warm.hand(job);
        log.info("started job {} in warm runner {} (pid {}): {}", id, warm.number(), warm.pid(), order.command());
        return job;
    }

    /** The job in a runner of its own, started now: the pool had none waiting. */
    Job inNewRunner(RunOrder order, int id) throws IOException {
        MDC.put("job", Integer.toString(id));
        String token = RunnerTokens.fresh();
        List<String> runnerArgv = JvmCommand.runner(List.of(Integer.toString(id), token, paths.socket().toString()));
        Job job = Job.launch(order.spec(id), runnerArgv, token, backlogBytes, () -> forget(id), services,
                adoptions.secret());
        register(job);
        log.info("started job {}: {}", id, order.command());
        return job;
    }

    private void register(Job job) {
        table.add(job);
        adoptions.started(job.id(), job.runnerPid());
    }

    /** The runner's first report on the job, or null if none came in time. */
    RunnerMessage.Report awaitStart(Job job) {
        try {
            return job.started().get(RunnerStarts.DEADLINE_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            log.error("runner of job {} did not report within {} s", job.id(), RunnerStarts.DEADLINE_SECONDS);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            return null;
        }
    }

    /** A job that did not start: out of the table, its runner ended. */
    void discard(Job job) {
        forget(job.id());
        job.kill();
    }

    private void forget(int id) {
        table.remove(id);
        adoptions.gone(id);
    }
}

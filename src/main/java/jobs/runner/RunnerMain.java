package jobs.runner;

import java.io.OutputStream;
import java.io.PrintStream;

/**
 * Entry point of a job's runner: {@code RunnerMain JOB_ID TOKEN SOCKET}. The runner's stdout and
 * stderr are the job's terminal, so it prints nothing, ever: Java's streams are silenced first and
 * any failure ends the process with status 1 and no word.
 */
public final class RunnerMain {
    private RunnerMain() {}

    public static void main(String[] args) {
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
        System.setOut(nowhere);
        System.setErr(nowhere);
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> Runtime.getRuntime().halt(1));
        int status;
        try {
            status = Runner.run(args);
        } catch (Throwable t) {
            status = 1;
        }
        // halt, not exit: no shutdown hook of any library gets a chance to print
        Runtime.getRuntime().halt(status);
    }
}

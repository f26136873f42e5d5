package jobs.training;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jobs.config.JvmCommand;
import jobs.config.RuntimePaths;
import jobs.protocol.Event;
import jobs.protocol.Frames;
import jobs.protocol.Message;
import jobs.protocol.Request;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * The training that makes the daemon's AOT cache: a real daemon, started as a command starts
 * one but writing its cache as it exits, in a scratch runtime directory of its own, asked for
 * what a day brings (a job in the background, an attached one, list, wait, log) and then to
 * stop. Without the cache, the first {@code jobs run} after a daemon-less start waited for a JVM
 * that loads some four thousand classes from the jars.
 */
final class DaemonTraining {
    private static final long TIMEOUT_SECONDS = 120;

    private DaemonTraining() {}

    /** 0 when {@code cache} was written; {@code dir} is a private scratch directory. */
    static int train(Path cache, Path dir) throws IOException, InterruptedException {
        Path runtime = Files.createDirectories(dir.resolve("run"));
        List<String> argv = new ArrayList<>(JvmCommand.daemon(List.of("--log-file", dir.resolve("daemon.log").toString())));
        argv.add(1, "-XX:AOTCacheOutput=" + cache);
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(dir.resolve("daemon.out").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Map<String, String> env = pb.environment();
        env.put("XDG_RUNTIME_DIR", runtime.toString());
        env.put("XDG_STATE_HOME", dir.resolve("state").toString());
        env.put("XDG_CONFIG_HOME", dir.resolve("config").toString());
        Process daemon = pb.start();
        try {
            RuntimePaths paths = new RuntimePaths(runtime.resolve("job-security"));
            Map<String, String> jobEnv = Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
            String cwd = dir.toString();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            Event first = ask(paths, deadline, new Request.Run(List.of("sh", "-c", "echo trained"), jobEnv, cwd, 24, 80, true));
            if (!(first instanceof Event.Background b)) throw new IOException("run -d: " + first);
            ask(paths, deadline, new Request.Wait(List.of(Integer.toString(b.id())), false));
            attached(paths, deadline, new Request.Run(List.of("sh", "-c", "echo attached"), jobEnv, cwd, 24, 80, false));
            ask(paths, deadline, new Request.ListJobs());
            ask(paths, deadline, new Request.Log(Integer.toString(b.id()), 0, false));
            ask(paths, deadline, new Request.KillServer());
            if (!daemon.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) return 1;
            return daemon.exitValue() == 0 && Files.isRegularFile(cache) ? 0 : 1;
        } catch (IOException e) {
            throw new IOException(e.getMessage() + "; the daemon's log ends:\n" + tail(dir.resolve("daemon.log")), e);
        } finally {
            // a daemon that failed the training leaves no runner behind either
            List<ProcessHandle> below = daemon.descendants().toList();
            daemon.destroyForcibly();
            below.forEach(ProcessHandle::destroyForcibly);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(" + e.getMessage() + ")";
        }
    }

    /**
     * Sends a request and reads its answers up to the last one it has (the first that is not
     * Output, Stopped or Notice), connecting as soon as the daemon listens.
     */
    private static Event ask(RuntimePaths paths, long deadline, Request r) throws IOException, InterruptedException {
        try (AFUNIXSocket s = connect(paths, deadline)) {
            Frames.write(s.getOutputStream(), r);
            InputStream in = s.getInputStream();
            while (true) {
                Message m = Frames.read(in);
                if (m == null) throw new IOException(r + ": no answer");
                if (!(m instanceof Event.Output || m instanceof Event.Stopped || m instanceof Event.Notice)) return (Event) m;
            }
        }
    }

    /** An attached job, its output read to the end through the data socket that comes with Running. */
    private static void attached(RuntimePaths paths, long deadline, Request.Run r) throws IOException, InterruptedException {
        try (AFUNIXSocket s = connect(paths, deadline)) {
            s.setAncillaryReceiveBufferSize(256);
            Frames.write(s.getOutputStream(), r);
            InputStream in = s.getInputStream();
            Message m = Frames.read(in);
            if (!(m instanceof Event.Running)) throw new IOException("run: " + m);
            FileDescriptor[] data = s.getReceivedFileDescriptors();
            if (data == null || data.length == 0) throw new IOException("run: no data socket");
            // the data socket stays open until Finished is read, as a client's does: a client that
            // hangs it up detaches, and a detached client is not told how its job ended
            try (FileInputStream output = new FileInputStream(data[0])) {
                output.transferTo(OutputStream.nullOutputStream());
                Message last = Frames.read(in);
                while (last instanceof Event.Notice || last instanceof Event.Output) last = Frames.read(in);
                if (!(last instanceof Event.Finished)) throw new IOException("run: expected Finished, got " + last);
            }
        }
    }

    private static AFUNIXSocket connect(RuntimePaths paths, long deadline) throws IOException, InterruptedException {
        while (true) {
            AFUNIXSocket s = AFUNIXSocket.newInstance();
            try {
                s.connect(AFUNIXSocketAddress.of(paths.socket()));
                return s;
            } catch (IOException notYet) {
                s.close();
                if (System.nanoTime() > deadline) throw notYet;
                Thread.sleep(20);
            }
        }
    }
}

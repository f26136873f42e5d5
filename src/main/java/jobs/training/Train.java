package jobs.training;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import jobs.cli.Main;
import jobs.client.JobsException;
import jobs.config.JvmCommand;
import jobs.config.JvmFlags;

/**
 * The one training run that makes every AOT cache of ours: {@code Train DIR}, which the launcher
 * starts once after each build (and after a change of JDK: a cache is tied to the jar, the exact
 * JDK and the JVM flags, and the JVM ignores one that does not match). A cache holds the classes a
 * JVM loaded, already parsed and linked, and that JVM writes it as it exits; so each cache comes
 * from a JVM of its own, all three at once:
 * <ul>
 * <li>{@value #CLIENT}: run, continue and every other command;</li>
 * <li>{@value #QUICK}: list, kill-server, help and version. A JVM loads every class its cache
 *     holds at start, and run and continue's (junixsocket, the FFM linker: ~600 classes) would
 *     cost these commands milliseconds they never use. {@value #QUICK_WORDS} lists the first
 *     words that name them, by the command line's own reading, for the launcher to pick a cache
 *     without knowing the commands;</li>
 * <li>{@value #RUNNER}: the runners' ({@link RunnerTraining});</li>
 * <li>{@value #DAEMON}: the daemon's ({@link DaemonTraining}), which the first command after a
 *     daemon-less start waits for.</li>
 * </ul>
 * A cache whose training went astray is not kept. Exit status 0 when all were made.
 */
public final class Train {
    static final String CLIENT = "jobs.aot";
    static final String QUICK = "jobs-quick.aot";
    static final String QUICK_WORDS = "quick-words";
    static final String RUNNER = "runner.aot";
    static final String DAEMON = "daemon.aot";
    private static final String REHEARSE = "--rehearse";
    private static final long TIMEOUT_SECONDS = 120;
    /** The client's properties that the launcher sets and a rehearsal should see as well. */
    private static final List<String> PROPERTIES = List.of("logback.configurationFile", "jobs.home",
            "org.newsclub.net.unix.library.override");

    private Train() {}

    public static void main(String[] args) {
        int status;
        try {
            if (args.length == 2 && args[0].equals(REHEARSE)) status = CommandTraining.run(args[1].equals("quick"));
            else if (args.length == 1) status = makeAll(Path.of(args[0]).toAbsolutePath());
            else status = 2;
        } catch (IOException | RuntimeException e) {
            e.printStackTrace();
            status = 1;
        }
        System.out.flush();
        // System.exit, not halt: the JVM writes its AOT cache on the way out
        System.exit(status);
    }

    private static int makeAll(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path work = Files.createTempDirectory(dir, ".train");
        List<Path> scratch = new CopyOnWriteArrayList<>(List.of(work));
        // a Ctrl-C while the launcher waits for this run leaves nothing behind: no training JVM
        // (a JVM writing its cache on the way out outlives the Ctrl-C), no half-written file
        Thread cleanUp = new Thread(() -> {
            ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
            scratch.forEach(Train::deleteTree);
        });
        Runtime.getRuntime().addShutdownHook(cleanUp);
        try {
            Process client = rehearse(false, work.resolve(CLIENT), scratch);
            Process quick = rehearse(true, work.resolve(QUICK), scratch);
            boolean runner = train(RunnerTraining::train, work.resolve(RUNNER), scratch);
            boolean daemon = train(DaemonTraining::train, work.resolve(DAEMON), scratch);
            boolean made = keep(runner, work, dir, RUNNER);
            made &= keep(daemon, work, dir, DAEMON);
            made &= keep(succeeded(client), work, dir, CLIENT);
            made &= keep(succeeded(quick), work, dir, QUICK);
            Files.writeString(work.resolve(QUICK_WORDS), String.join(" ", quickWords()) + "\n");
            return keep(true, work, dir, QUICK_WORDS) && made ? 0 : 1;
        } finally {
            scratch.forEach(Train::deleteTree);
            Runtime.getRuntime().removeShutdownHook(cleanUp);
        }
    }

    /** A JVM with the client's flags that runs {@link CommandTraining} and writes {@code cache}. */
    private static Process rehearse(boolean quick, Path cache, List<Path> scratch) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElseThrow());
        cmd.addAll(JvmFlags.client());
        cmd.add("-XX:AOTCacheOutput=" + cache);
        for (String p : PROPERTIES) {
            String v = System.getProperty(p);
            if (v != null) cmd.add("-D" + p + "=" + v);
        }
        // the command's own class path (a cache only serves a JVM on the class path it was made on),
        // and the whole one for the daemon that the rehearsed commands would start
        String full = JvmCommand.fullClassPath();
        cmd.add("-D" + JvmCommand.FULL_CLASS_PATH + "=" + full);
        cmd.addAll(List.of("-cp", JvmCommand.clientClassPath(), Train.class.getName(), REHEARSE,
                quick ? "quick" : "client"));
        // a runtime directory of its own for the stand-in daemons' sockets: in the temp dir, as a
        // socket's path must stay short
        Path runtime = Files.createTempDirectory("jobs-train");
        scratch.add(runtime);
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("XDG_RUNTIME_DIR", runtime.toString());
        return pb.start();
    }

    /** A training run into {@code cache}, in a private scratch directory of its own. */
    private interface Training {
        int train(Path cache, Path dir) throws IOException, InterruptedException;
    }

    private static boolean train(Training training, Path cache, List<Path> scratch) {
        try {
            Path dir = Files.createTempDirectory("jobs-train");
            scratch.add(dir);
            return training.train(cache, dir) == 0;
        } catch (IOException | RuntimeException e) {
            e.printStackTrace();
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean succeeded(Process p) {
        try {
            if (p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) return p.exitValue() == 0;
            p.destroyForcibly().waitFor();
            return false;
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Puts a made file in place by rename; a failed one's older version goes, as it no longer fits. */
    private static boolean keep(boolean made, Path work, Path dir, String name) throws IOException {
        if (made && Files.isRegularFile(work.resolve(name))) {
            Files.move(work.resolve(name), dir.resolve(name), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            return true;
        }
        Files.deleteIfExists(dir.resolve(name));
        return false;
    }

    /** Every prefix of the quick commands' names that the command line reads as one of them. */
    static List<String> quickWords() {
        List<Object> quick = Stream.of("list", "kill-server", "help", "--version")
                .map(word -> Main.parse(List.of(word))).toList();
        List<String> words = new ArrayList<>();
        for (String name : List.of("list", "ls", "kill-server", "help", "--help", "-h", "--version", "-V")) {
            for (int end = 1; end <= name.length(); end++) {
                String word = name.substring(0, end);
                if (!words.contains(word) && quick.contains(commandOf(word))) words.add(word);
            }
        }
        return words;
    }

    private static Object commandOf(String word) {
        try {
            return Main.parse(List.of(word));
        } catch (JobsException notACommand) {
            return null;
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException | UncheckedIOException gone) {
            // nothing left to delete
        }
    }
}

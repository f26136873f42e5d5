package jobs.cli;

import java.util.List;
import jobs.protocol.JobNames;

/** The arguments of {@code jobs queue [NAME [--parallel N] [--pause|--resume]]}, {@code jobs start ID} and {@code jobs rerun [-d] ID}. */
final class QueueArgs {
    private QueueArgs() {}

    static Command queue(List<String> args) {
        String name = null;
        Integer parallel = null;
        boolean pause = false;
        boolean resume = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (CommandLine.isHelp(a)) return new Command.Help(Help.QUEUE);
            if (a.equals("--parallel") || a.equals("-p") || a.startsWith("--parallel=")) {
                String n;
                if (a.startsWith("--parallel=")) {
                    n = a.substring("--parallel=".length());
                } else {
                    if (i + 1 >= args.size()) throw CommandLine.usage("queue: " + a + " needs a number");
                    n = args.get(++i);
                }
                parallel = parallel(n);
            } else if (a.equals("--pause")) {
                pause = true;
            } else if (a.equals("--resume")) {
                resume = true;
            } else if (a.startsWith("-")) {
                throw CommandLine.usage("queue: unknown option '" + a + "'");
            } else if (name == null) {
                String problem = JobNames.problem(a);
                if (problem != null) {
                    throw CommandLine.usage("queue: bad queue name '" + a + "': " + problem.replace("a name", "a queue's name"));
                }
                name = a;
            } else {
                throw CommandLine.usage("queue: unexpected argument '" + a + "'");
            }
        }
        if (pause && resume) throw CommandLine.usage("queue: --pause and --resume together");
        if (name == null && (parallel != null || pause || resume)) throw CommandLine.usage("queue: which queue? (jobs queue NAME ...)");
        return new Command.Queue(name, parallel, pause, resume);
    }

    private static int parallel(String n) {
        try {
            int v = Integer.parseInt(n);
            if (v >= 1 && v <= 1000) return v;
        } catch (NumberFormatException e) {
            // the usage error below
        }
        throw CommandLine.usage("queue: --parallel: '" + n + "' is not a number from 1 to 1000");
    }

    static Command rerun(List<String> args) {
        String job = null;
        boolean detached = false;
        for (String a : args) {
            if (CommandLine.isHelp(a)) return new Command.Help(Help.RERUN);
            if (a.equals("-d") || a.equals("--detached")) detached = true;
            else if (a.startsWith("-") && !a.equals("-")) throw CommandLine.usage("rerun: unknown option '" + a + "'");
            else if (job != null) throw CommandLine.usage("rerun: unexpected argument '" + a + "'");
            else job = CommandLine.jobWord("rerun", a);
        }
        if (job == null) throw CommandLine.usage("rerun: which job? (jobs rerun ID)");
        return new Command.Rerun(job, detached);
    }

    static Command start(List<String> args) {
        String job = null;
        for (String a : args) {
            if (CommandLine.isHelp(a)) return new Command.Help(Help.START);
            if (a.startsWith("-") && !a.equals("-")) throw CommandLine.usage("start: unknown option '" + a + "'");
            if (job != null) throw CommandLine.usage("start: unexpected argument '" + a + "'");
            job = CommandLine.jobWord("start", a);
        }
        if (job == null) throw CommandLine.usage("start: which job? (jobs start ID)");
        return new Command.Start(job);
    }
}

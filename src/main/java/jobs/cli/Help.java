package jobs.cli;

/** The --help texts. */
final class Help {
    private Help() {}

    static final String GLOBAL = """
            jobs: job control from anywhere. Every job runs in its own terminal under a per-user
            daemon; Ctrl-Z stops it and gives the shell back, and any terminal can continue it.

            Usage: jobs COMMAND [OPTIONS]

            Commands (any unique prefix works, e.g. 'jobs l', 'jobs c 2'):
              run [-d] CMD [ARGS...]          start a job (the daemon starts if needed)
              continue [-d] [-o] [ID]         resume a job here (aliases: fg, resume)
              list [--json]                   show jobs (alias: ls)
              kill-server                     stop the daemon and every job
              restart-server                  hand every job to a fresh daemon (no abbreviation)
              daemon [--log-file FILE]        run the daemon in the foreground
              help [COMMAND]                  show help

            Options:
              -h, --help                      show help (also after any command)
              -V, --version                   show the version
            """;

    static final String RUN = """
            Usage: jobs run [-d|--detached] CMD [ARGS...]
                   jobs run [-d] CMD -- ARGS...
                   jobs run [-d] -- CMD ARGS...

            Starts CMD in its own terminal and attaches this terminal to it. Ctrl-Z stops the job
            and returns here; 'jobs continue' resumes it. Options go before CMD. Several words run
            exactly that argv; one word with shell syntax ('make && ./a.out') runs in $SHELL -c
            (sh, bash, zsh, dash, ksh or fish; otherwise /bin/sh).

              -d, --detached      start in the background and print '[ID] PID'

            Exit status: the job's, 128+N if signal N killed it, 0 if it stopped or was detached,
            127 if CMD was not found, 126 if it is not executable, 1 for jobs' own errors.
            """;

    static final String CONTINUE = """
            Usage: jobs continue [-d|--detached] [-o|--fetch-output] [ID]
            Aliases: fg, resume

            Resumes job ID (also written %ID; default: the most recently stopped or backgrounded
            job) in this terminal, at this terminal's size.

              -d, --detached      resume it in the background instead
              -o, --fetch-output  first replay what it wrote while in the background

            Exit status as for 'jobs run'.
            """;

    static final String LIST = """
            Usage: jobs list [--json]
            Alias: ls

            Shows every job: ID, command, state, foreground/background and PID.

              --json              an array of objects: id, pid, command, state, attached,
                                  exit_code, signal, started_at
            """;

    static final String KILL_SERVER = """
            Usage: jobs kill-server

            Sends SIGHUP to every job, SIGKILL to what is left after a grace period, and stops
            the daemon.
            """;

    static final String RESTART_SERVER = """
            Usage: jobs restart-server

            Hands every job to a fresh daemon started from the current build (after an upgrade
            of jobs): no job is stopped or signalled, no output is lost, attached terminals stay
            attached. Must be typed in full.
            """;

    static final String DAEMON = """
            Usage: jobs daemon [--log-file FILE]

            Runs the daemon in the foreground (for service managers). 'jobs run' starts one by
            itself when none is running.

              -l, --log-file FILE  write the log to FILE
            """;

    static final String HELP = """
            Usage: jobs help [COMMAND]
            """;
}

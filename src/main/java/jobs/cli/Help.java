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
              daemon [--log-file FILE]        run the daemon in the foreground
              init bash|zsh|fish              print the set-up for your shell's rc file
              help [COMMAND]                  show help

            Options:
              -h, --help                      show help (also after any command)
              -V, --version                   show the version
            """;

    static final String RUN = """
            Usage: jobs run [-d|--detached] [--detach-key KEY] CMD [ARGS...]
                   jobs run [-d] CMD -- ARGS...
                   jobs run [-d] -- CMD ARGS...

            Starts CMD in its own terminal and attaches this terminal to it. Ctrl-Z stops the job
            and returns here; the detach key (Ctrl-\\) returns here and leaves it running;
            'jobs continue' resumes or re-attaches it. Options go before CMD. Several words run
            exactly that argv; one word with shell syntax ('make && ./a.out') runs in $SHELL -c
            (sh, bash, zsh, dash, ksh or fish; otherwise /bin/sh).

              -d, --detached      start in the background and print '[ID] PID'
              --detach-key KEY    the key that detaches: ^X for Ctrl-X, or none (default: the
                                  detach.key setting, ^\\); pressed twice quickly, it sends
                                  the key itself to the job once

            Exit status: the job's, 128+N if signal N killed it, 0 if it stopped or was detached,
            127 if CMD was not found, 126 if it is not executable, 1 for jobs' own errors.
            """;

    static final String CONTINUE = """
            Usage: jobs continue [-d|--detached] [-o|--fetch-output] [--detach-key KEY] [ID]
            Aliases: fg, resume

            Resumes job ID (also written %ID; default: the most recently stopped or backgrounded
            job) in this terminal, at this terminal's size.

              -d, --detached      resume it in the background instead
              -o, --fetch-output  first replay what it wrote while in the background
              --detach-key KEY    as for 'jobs run' (^X or none)

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

    static final String DAEMON = """
            Usage: jobs daemon [--log-file FILE]

            Runs the daemon in the foreground (for service managers). 'jobs run' starts one by
            itself when none is running.

              -l, --log-file FILE  write the log to FILE
            """;

    static final String INIT = """
            Usage: jobs init bash|zsh|fish

            Prints the set-up for your shell's rc file:
              bash  (~/.bashrc)                 eval "$(jobs init bash)"
              zsh   (~/.zshrc, after compinit)  eval "$(jobs init zsh)"
              fish  (config.fish)               jobs init fish | source
            Then 'jobs' is this tool in that shell ('builtin jobs' is the shell's own),
            completion knows its commands, options and job ids, and a job you started from that
            shell that ends or stops in the background is reported before your next prompt:
            '[2]  Done  make'.
            """;

    static final String HELP = """
            Usage: jobs help [COMMAND]
            """;
}

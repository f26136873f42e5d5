package jobs.cli;

/** The --help texts. */
final class Help {
    private Help() {}

    static final String GLOBAL = """
            jobs: job control from anywhere. Every job runs in its own terminal under a per-user
            daemon; Ctrl-Z stops it and gives the shell back, and any terminal can continue it.

            Usage: jobs COMMAND [OPTIONS]

            Commands (any unique prefix works, e.g. 'jobs l', 'jobs c 2'):
              run [-d] [--name NAME] CMD...   start a job (the daemon starts if needed)
              run [-d] [-q QUEUE] [--after ID,...] [--delay 10m|--at HH:MM] CMD...
                                              start a job when its turn comes
              continue [-d] [-o] [--steal] [ID]
                                              resume a job here (aliases: fg, resume)
              list [--json]                   show jobs (alias: ls)
              kill [-s SIG] [--timeout SECS] ID...|--all
                                              send a job a signal (default TERM)
              wait [--any] [--timeout SECS] [ID...]
                                              wait for jobs to end, exit with their status
              clean [ID...]                   remove finished jobs from the list
              log [-n LINES] [-f] ID          print a job's output history; -f: and follow it
              queue [NAME [--parallel N] [--pause|--resume]]
                                              show the queues, or change one
              start ID                        start a waiting job now
              rerun [-d] ID                   run an ended job again, as a new job
              kill-server                     stop the daemon and every job
              restart-server                  hand every job to a fresh daemon (no abbreviation)
              daemon [--log-file FILE]        run the daemon in the foreground
              init bash|zsh|fish              print the set-up for your shell's rc file
              help [COMMAND]                  show help

            ID is a job's number (3 or %3), its name (run --name), %STRING (the one job whose
            command starts with STRING) or %+ (the current job).

            Options:
              -h, --help                      show help (also after any command)
              -V, --version                   show the version
            """;

    static final String RUN = """
            Usage: jobs run [-d|--detached] [-n|--name NAME] [--detach-key KEY] CMD [ARGS...]
                   jobs run [-d] [-q QUEUE] [--after ID,...] [--delay DURATION|--at HH:MM] CMD...
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
              -n, --name NAME     name the job: NAME then works wherever an ID does. Unique
                                  among listed jobs; not a number, no spaces, no leading % or -
              -q, --queue QUEUE   wait for a free slot of QUEUE (one at a time unless
                                  'jobs queue QUEUE --parallel N' says otherwise)
              --after ID[,ID...]  wait until those jobs have ended with status 0; if one
                                  does not, this job is cancelled and never starts
              --delay DURATION    wait that long first (30s, 10m, 2h, 1h30m)
              --at HH:MM          wait until that time of day (today, or else tomorrow)

            A job that waits has its ID at once and is listed as Queued, Waiting for ID or
            Delayed until HH:MM. Without -d, this terminal says so on one line and attaches when
            the job starts (Ctrl-C leaves it waiting); with -d, '[ID] STATE' is printed.

            Exit status: the job's, 128+N if signal N killed it, 0 if it stopped or was detached,
            127 if CMD was not found, 126 if it is not executable, 125 if it was cancelled
            (a job it waited for failed), 1 for jobs' own errors.
            """;

    static final String QUEUE = """
            Usage: jobs queue
                   jobs queue NAME [-p|--parallel N] [--pause|--resume]

            Without a NAME: every queue, with its limit, its running and waiting jobs and whether
            it is paused. With one: that queue, after the changes asked for. A queue exists once
            named ('jobs run -q NAME' or here) and runs one job at a time unless --parallel says
            otherwise. A paused queue starts nothing new; its running jobs run on.
            """;

    static final String RERUN = """
            Usage: jobs rerun [-d|--detached] ID

            Runs an ended (or cancelled) job again as a new job: the same command, working
            directory, environment, name and queue, attached here as 'jobs run' would (-d: in
            the background, printing '[ID] PID'). A job with a name leaves the list first, so
            that the new one gets the name. Exit status as for run.
            """;

    static final String START = """
            Usage: jobs start ID

            Starts a waiting job now, whatever it waits for (its queue, other jobs, a delay), in
            the background, and prints '[ID] PID'. 'jobs continue ID' attaches to it.
            """;

    static final String CONTINUE = """
            Usage: jobs continue [-d|--detached] [-o|--fetch-output] [--steal] [--detach-key KEY] [ID]
            Aliases: fg, resume

            Resumes job ID (3, %3, a name, %STRING for the job whose command starts with
            STRING; default: the most recently stopped or backgrounded job) in this terminal, at
            this terminal's size.

              -d, --detached      resume it in the background instead
              -o, --fetch-output  first replay what it wrote while in the background
              --detach-key KEY    as for 'jobs run' (^X or none)
              --steal             take the job over from the terminal it is attached to; that
                                  one prints '[ID] Taken over by another terminal' and exits 0

            Exit status as for 'jobs run'.
            """;

    static final String LIST = """
            Usage: jobs list [--json]
            Alias: ls

            Shows every job: ID, name (if any job has one), command, state,
            foreground/background, PID, when it started and how long it ran or has run. In a
            terminal, long commands are cut with '…' to fit its width.

              --json              an array of objects: id, name, pid, command, state, attached,
                                  exit_code, signal, started_at, ended_at, lost, log
            """;

    static final String LOG = """
            Usage: jobs log [-n LINES] [-f|--follow] ID

            Prints what job ID has written (also %ID), escape sequences and all, from its log
            file under $XDG_STATE_HOME/job-security/: also for a finished job, until it leaves
            the list. Never attaches. Where output was dropped (over log.bytes, a slow or full
            disk, a reader that fell behind), a line on stderr says how much.

              -n, --lines LINES   only the last LINES lines
              -f, --follow        then print its output as it comes, until it ends; any number
                                  of followers may watch a job, beside an attached terminal

            Exit status: 0; with -f, the job's, as for 'jobs run' (128+N for signal N);
            1 if there is no such job.
            """;

    static final String KILL_SERVER = """
            Usage: jobs kill-server

            Sends SIGHUP to every job, SIGKILL to what is left after a grace period, and stops
            the daemon.
            """;

    static final String KILL = """
            Usage: jobs kill [-s SIG] [--timeout SECS] ID...
                   jobs kill [-s SIG] [--timeout SECS] --all

            Sends a signal to each job's whole process group; a stopped job also gets SIGCONT so
            that it can act on it. Nothing attaches.

              -s, --signal SIG    the signal: TERM (default), HUP, SIGHUP, 1, KILL, INT...;
                                  also written -SIG, as in shells (jobs kill -9 3)
              --timeout SECS      SIGKILL to whatever is left of the jobs after SECS seconds
                                  (returns once they ended or were killed)
              -a, --all           every job that has not ended

            Exit status: 0 when delivered; 1 if a job was not found or had already ended (one
            line each; the others still get the signal); 2 for a bad signal or option.
            """;

    static final String WAIT = """
            Usage: jobs wait [-n|--any] [-t|--timeout SECS] [ID...]

            Waits until the jobs end (no ID: every job alive now) and exits with the status of
            the last one to end, as 'jobs run' would: its exit code, or 128+N if signal N killed
            it. A job that stops is reported once on stderr and waited for. Waiting does not
            attach: the job stays listed and can be continued as before. A job that waits to
            start (run --queue/--after/--delay) is waited for until it starts and ends; one that
            is cancelled instead (a job it waited for failed) makes the exit status 125.

              -n, --any           return when the first of the jobs ends, with its status
              -t, --timeout SECS  give up after SECS seconds, with exit status 124

            Exit status 0 when there was nothing to wait for; 1 if a job was not found.
            """;

    static final String CLEAN = """
            Usage: jobs clean [ID...]

            Removes finished jobs from the list without attaching (no ID: every finished job).
            A job that has not ended, or that a terminal is attached to, stays.

            Exit status: 1 if a job was not found or could not be removed (one line each).
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

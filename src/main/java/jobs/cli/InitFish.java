package jobs.cli;

/** {@code jobs init fish}; see {@link ShellInit}. */
final class InitFish {
    private InitFish() {}

    static String text(String launcher, String notices) {
        StringBuilder lines = new StringBuilder();
        StringBuilder names = new StringBuilder();
        for (ShellInit.Sub s : ShellInit.COMMANDS) names.append(' ').append(s.name());
        for (ShellInit.Sub s : ShellInit.COMMANDS) {
            lines.append("complete -c jobs -n __fish_use_subcommand -a ").append(s.name())
                    .append(" -d ").append(ShellInit.fishQuote(s.description())).append('\n');
            String when = " -n " + ShellInit.fishQuote("__fish_seen_subcommand_from " + s.name());
            for (ShellInit.Opt o : s.options()) {
                lines.append("complete -c jobs").append(when);
                if (o.shortName() != null) lines.append(" -s ").append(o.shortName());
                lines.append(" -l ").append(o.longName());
                if ("queues".equals(o.source())) {
                    lines.append(" -x -a '(__jobs_tool_queues)'");
                } else if ("ids".equals(o.source())) {
                    lines.append(" -x -a '(__jobs_tool_ids)'");
                } else if (o.values() != null) {
                    lines.append(" -x -a ").append(ShellInit.fishQuote(String.join(" ", o.values())
                            .replace("\\", "\\\\")));
                }
                lines.append(" -d ").append(ShellInit.fishQuote(o.description())).append('\n');
            }
            if (s.takesJob()) {
                lines.append("complete -c jobs").append(when).append(" -a '(__jobs_tool_ids)'\n");
            } else if (s.name().equals("run")) {
                lines.append("complete -c jobs").append(when).append(" -x -a '(__fish_complete_subcommand --fcs-skip=2)'\n");
            } else if (s.name().equals("queue")) {
                lines.append("complete -c jobs").append(when).append(" -a '(__jobs_tool_queues)'\n");
            } else if (s.name().equals("init")) {
                lines.append("complete -c jobs").append(when).append(" -a 'bash zsh fish'\n");
            } else if (s.name().equals("help")) {
                lines.append("complete -c jobs").append(when).append(" -a ").append(ShellInit.fishQuote(names.toString().strip())).append('\n');
            }
        }
        return TEMPLATE
                .replace("@JOBS@", ShellInit.fishQuote(launcher))
                .replace("@NOTICES@", ShellInit.fishQuote(notices))
                .replace("@COMPLETE@", lines.toString());
    }

    private static final String TEMPLATE = """
            # jobs: set-up for fish (jobs init fish | source, in ~/.config/fish/config.fish)
            # 'jobs' is the job-control tool; fish's own builtin stays reachable as 'builtin jobs'.
            function jobs --description 'job control that outlives terminals'
                @JOBS@ $argv
            end

            # Notices for jobs this shell started that stopped or ended in the background. The daemon
            # leaves one file per event in a directory named after this shell's pid; when there is
            # none, the hook costs one test, no process.
            set -gx JOBS_SHELL_PID $fish_pid
            set -g __jobs_tool_notices_dir @NOTICES@/$fish_pid
            test -d $__jobs_tool_notices_dir; and command rm -rf -- $__jobs_tool_notices_dir
            function __jobs_tool_notices --on-event fish_prompt
                test -d $__jobs_tool_notices_dir; or return 0
                set -l seen
                for f in $__jobs_tool_notices_dir/*
                    test -f $f; or continue
                    read -l line <$f; and printf '%s\\n' $line
                    set -a seen $f
                end
                set -q seen[1]; and command rm -f -- $seen
                command rmdir -- $__jobs_tool_notices_dir 2>/dev/null
                return 0
            end

            # Completion (from here on, this is also the completion file that packages install)
            function __jobs_tool_ids
                @JOBS@ __complete ids 2>/dev/null
            end
            function __jobs_tool_queues
                @JOBS@ __complete queues 2>/dev/null
            end
            complete -c jobs -e
            complete -c jobs -f
            complete -c jobs -n __fish_use_subcommand -l help -d 'show help'
            complete -c jobs -n __fish_use_subcommand -l version -d 'show the version'
            @COMPLETE@""";
}

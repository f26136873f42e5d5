package jobs.cli;

/** {@code jobs init zsh}; see {@link ShellInit}. */
final class InitZsh {
    private InitZsh() {}

    static String text(String launcher, String notices) {
        StringBuilder subs = new StringBuilder();
        StringBuilder arms = new StringBuilder();
        for (ShellInit.Sub s : ShellInit.COMMANDS) {
            subs.append("        ").append(ShellInit.shQuote(s.name() + ":" + s.description())).append('\n');
            StringBuilder specs = new StringBuilder();
            for (ShellInit.Opt o : s.options()) {
                String action = "queues".equals(o.source()) ? ":queue:__jobs_tool_queues"
                        : "ids".equals(o.source()) ? ":job:__jobs_tool_ids"
                        : o.values() == null ? "" : ":key:(" + String.join(" ", o.values()).replace("\\", "\\\\") + ")";
                String desc = "[" + o.description() + "]" + action;
                if (o.shortName() != null) {
                    specs.append(" ").append(ShellInit.shQuote("(-" + o.shortName() + " --" + o.longName() + ")-"
                            + o.shortName() + desc));
                    specs.append(" ").append(ShellInit.shQuote("(-" + o.shortName() + " --" + o.longName() + ")--"
                            + o.longName() + desc));
                } else {
                    specs.append(" ").append(ShellInit.shQuote("--" + o.longName() + desc));
                }
            }
            String rest = s.takesJob() ? " '1:job:__jobs_tool_ids'"
                    : s.name().equals("run") ? " '*::command:_normal'"
                    : s.name().equals("init") ? " '1:shell:(bash zsh fish)'"
                    : s.name().equals("queue") ? " '1:queue:__jobs_tool_queues'"
                    : s.name().equals("help") ? " '1:command:__jobs_tool_subcommands'"
                    : "";
            arms.append("        ").append(s.name()).append(") _arguments -s").append(specs).append(rest).append(" ;;\n");
        }
        return TEMPLATE
                .replace("@JOBS@", ShellInit.shQuote(launcher))
                .replace("@NOTICES@", ShellInit.shQuote(notices))
                .replace("@SUBS@", subs.toString())
                .replace("@ARMS@", arms.toString());
    }

    private static final String TEMPLATE = """
            # jobs: set-up for zsh (eval "$(jobs init zsh)" in ~/.zshrc, after compinit)
            # 'jobs' is the job-control tool; zsh's own builtin stays reachable as 'builtin jobs'.
            jobs() { @JOBS@ "$@" }

            # Notices for jobs this shell started that stopped or ended in the background. The daemon
            # leaves one file per event in a directory named after this shell's pid; when there is
            # none, the hook costs one test, no process.
            export JOBS_SHELL_PID=$$
            typeset -g __jobs_tool_notices_dir=@NOTICES@/$$
            [[ -d $__jobs_tool_notices_dir ]] && command rm -rf -- "$__jobs_tool_notices_dir"
            __jobs_tool_notices() {
                [[ -d $__jobs_tool_notices_dir ]] || return 0
                local f line
                local -a seen
                for f in "$__jobs_tool_notices_dir"/*(N.); do
                    IFS= read -r line <"$f" && print -r -- "$line"
                    seen+=("$f")
                done
                (( ${#seen} )) && command rm -f -- "${seen[@]}"
                command rmdir -- "$__jobs_tool_notices_dir" 2>/dev/null
                return 0
            }
            typeset -ga precmd_functions
            (( ${precmd_functions[(Ie)__jobs_tool_notices]} )) || precmd_functions=(__jobs_tool_notices $precmd_functions)

            # Completion (from here on, this is also the completion file that packages install)
            __jobs_tool_subcommands() {
                local -a subs
                subs=(
            @SUBS@    )
                _describe -t commands 'jobs command' subs
            }
            __jobs_tool_queues() {
                local -a queues
                queues=(${(f)"$(@JOBS@ __complete queues 2>/dev/null)"})
                _describe -t queues 'queue' queues
            }
            __jobs_tool_ids() {
                local -a ids
                local line
                for line in "${(@f)$(@JOBS@ __complete ids 2>/dev/null)}"; do
                    [[ -n $line ]] && ids+=("${${line%%$'\\t'*}//:/\\\\:}:${line#*$'\\t'}")
                done
                _describe -t jobs 'job' ids
            }
            __jobs_tool_complete() {
                local curcontext=$curcontext state line
                _arguments -C '(- *)--help[show help]' '(- *)--version[show the version]' \\
                    '1:command:__jobs_tool_subcommands' '*::arg:->args'
                [[ $state == args ]] || return
                case $words[1] in
            @ARMS@    esac
            }
            (( $+functions[compdef] )) && compdef __jobs_tool_complete jobs
            """;
}

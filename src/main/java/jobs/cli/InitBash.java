package jobs.cli;

import java.util.ArrayList;
import java.util.List;

/** {@code jobs init bash}; see {@link ShellInit}. */
final class InitBash {
    private InitBash() {}

    static String text(String launcher, String notices) {
        StringBuilder arms = new StringBuilder();
        List<String> jobArms = new ArrayList<>();
        for (ShellInit.Sub s : ShellInit.COMMANDS) {
            List<String> words = new ArrayList<>();
            for (ShellInit.Opt o : s.options()) {
                if (o.shortName() != null) words.add("-" + o.shortName());
                words.add("--" + o.longName());
            }
            String rest = s.takesJob() ? "__jobs_tool_ids"
                    : s.name().equals("run") ? "__jobs_tool_command"
                    : s.name().equals("init") ? "COMPREPLY=($(compgen -W 'bash zsh fish' -- \"$cur\"))"
                    : s.name().equals("queue") ? "__jobs_tool_queues"
                    : s.name().equals("help") ? "COMPREPLY=($(compgen -W \"$__jobs_tool_commands\" -- \"$cur\"))"
                    : ":";
            // only a job's command line is about files
            if (!s.name().equals("run")) rest = "compopt +o default 2>/dev/null; " + rest;
            arms.append("        ").append(s.name()).append(") if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W ")
                    .append(ShellInit.shQuote(String.join(" ", words))).append(" -- \"$cur\")); else ")
                    .append(rest).append("; fi ;;\n");
            if (s.takesJob()) jobArms.add(s.name());
        }
        String commands = String.join(" ", ShellInit.COMMANDS.stream().map(ShellInit.Sub::name).toList());
        return TEMPLATE
                .replace("@JOBS@", ShellInit.shQuote(launcher))
                .replace("@NOTICES@", ShellInit.shQuote(notices))
                .replace("@COMMANDS@", ShellInit.shQuote(commands))
                .replace("@ARMS@", arms.toString());
    }

    private static final String TEMPLATE = """
            # jobs: set-up for bash (eval "$(jobs init bash)" in ~/.bashrc)
            # 'jobs' is the job-control tool; bash's own builtin stays reachable as 'builtin jobs'.
            jobs() { @JOBS@ "$@"; }

            # Notices for jobs this shell started that stopped or ended in the background. The daemon
            # leaves one file per event in a directory named after this shell's pid; when there is
            # none, the hook costs one test, no process.
            export JOBS_SHELL_PID=$$
            __jobs_tool_notices_dir=@NOTICES@/$$
            [[ -d $__jobs_tool_notices_dir ]] && command rm -rf -- "$__jobs_tool_notices_dir"
            __jobs_tool_notices() {
                local status=$? f line failglob=
                [[ -d $__jobs_tool_notices_dir ]] || return $status
                shopt -q failglob && failglob=1 && shopt -u failglob
                local -a seen=()
                for f in "$__jobs_tool_notices_dir"/*; do
                    [[ -f $f ]] || continue
                    IFS= read -r line <"$f" && printf '%s\\n' "$line"
                    seen+=("$f")
                done
                [[ -n $failglob ]] && shopt -s failglob
                ((${#seen[@]})) && command rm -f -- "${seen[@]}"
                command rmdir -- "$__jobs_tool_notices_dir" 2>/dev/null
                return $status
            }
            if [[ ";${PROMPT_COMMAND[*]:-};" != *";__jobs_tool_notices;"* ]]; then
                PROMPT_COMMAND="__jobs_tool_notices${PROMPT_COMMAND:+;$PROMPT_COMMAND}"
            fi

            # Completion (from here on, this is also the completion file that packages install)
            __jobs_tool_commands=@COMMANDS@
            __jobs_tool_queues() {
                COMPREPLY=($(compgen -W "$(@JOBS@ __complete queues 2>/dev/null)" -- "$cur"))
            }
            __jobs_tool_ids() {
                local id rest
                local -a ids=()
                while IFS=$'\\t' read -r id rest; do ids+=("$id"); done < <(@JOBS@ __complete ids 2>/dev/null)
                COMPREPLY=($(compgen -W "${ids[*]}" -- "$cur"))
            }
            # The job's command first; after it, bash's default completion (files) takes over.
            __jobs_tool_command() {
                local i
                for ((i = sub + 1; i < COMP_CWORD; i++)); do
                    case ${COMP_WORDS[i]} in
                        --detach-key|-n|--name|-q|--queue|--after|--delay|--at) ((i++)) ;;
                        -*) ;;
                        *) return ;;
                    esac
                done
                COMPREPLY=($(compgen -c -- "$cur"))
            }
            __jobs_tool_complete() {
                local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} sub=0 i
                COMPREPLY=()
                for ((i = 1; i < COMP_CWORD; i++)); do
                    [[ ${COMP_WORDS[i]} == -* ]] || { sub=$i; break; }
                done
                if ((sub == 0)); then
                    if [[ $cur == -* ]]; then
                        COMPREPLY=($(compgen -W '--help --version' -- "$cur"))
                    else
                        COMPREPLY=($(compgen -W "$__jobs_tool_commands" -- "$cur"))
                    fi
                    return
                fi
                case $prev in
                    -q|--queue) compopt +o default 2>/dev/null; __jobs_tool_queues; return ;;
                    --after) compopt +o default 2>/dev/null; __jobs_tool_ids; return ;;
                esac
                if [[ $prev == --detach-key ]]; then
                    COMPREPLY=($(compgen -W '^\\\\ ^] none' -- "$cur"))
                    return
                fi
                case ${COMP_WORDS[sub]} in
            @ARMS@    esac
            }
            complete -F __jobs_tool_complete -o bashdefault -o default jobs
            """;
}

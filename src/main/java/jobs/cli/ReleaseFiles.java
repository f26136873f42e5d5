package jobs.cli;

import jobs.client.JobsException;

/**
 * What the release build writes from the CLI's own texts, to stdout: {@code man VERSION DATE}
 * (jobs.1, see {@link ManPage}) and {@code completion SHELL LAUNCHER} (the completion part of
 * {@code jobs init SHELL}, see {@link ShellInit#completion}). Not a command users see.
 */
public final class ReleaseFiles {
    private ReleaseFiles() {}

    public static void main(String[] args) {
        if (args.length == 3 && args[0].equals("man")) {
            System.out.print(ManPage.render(args[1], args[2]));
        } else if (args.length == 3 && args[0].equals("completion")) {
            try {
                System.out.print(ShellInit.completion(args[1], args[2]));
            } catch (JobsException e) {
                System.err.println("jobs: " + e.getMessage());
                System.exit(2);
            }
        } else {
            System.err.println("usage: ReleaseFiles man VERSION DATE | completion bash|zsh|fish LAUNCHER");
            System.exit(2);
        }
    }
}

package jobs.posix;

import java.nio.file.Path;

/** Where {@link Executables#resolve} found a command, or why it would not run. */
public sealed interface Lookup {

    record Found(Path path) implements Lookup {}

    /** Nothing by that name: the shell's "command not found", exit 127. */
    record NotFound() implements Lookup {}

    /** Something by that name that execve would refuse with EACCES (no x bit, a directory): 126. */
    record NotExecutable(Path path) implements Lookup {}
}

package jobs.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** What /proc says about one process, for tests that watch real processes come and go. */
public final class Proc {
    private Proc() {}

    /** The state letter of /proc/PID/stat (R, S, T, Z...), or '-' once the process is gone. */
    public static char state(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2);
        } catch (IOException gone) {
            return '-';
        }
    }

    /** The session id of /proc/PID/stat, or -1 once the process is gone. */
    public static long session(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[3]); // state, ppid, pgrp, session
        } catch (IOException gone) {
            return -1;
        }
    }

    /** Zombies count as gone: once a daemon has died their reaper is not ours to wait for. */
    public static boolean alive(long pid) {
        char s = state(pid);
        return s != '-' && s != 'Z';
    }

    /** The command line with NULs turned into spaces; empty once the process is gone. */
    public static String commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').trim();
        } catch (IOException gone) {
            return "";
        }
    }
}

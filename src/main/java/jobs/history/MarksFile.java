package jobs.history;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * What a log lost, kept beside it ({@code NAME.log.marks}) so that a later daemon reopening the
 * log still knows: lines {@code cut START LOST} (the file begins at stream offset START; LOST
 * bytes of marks went with the cut) and {@code gap AT BYTES WHY}. A failed write here loses only
 * that knowledge after a reopen: the marks in memory still tell this daemon's readers.
 */
final class MarksFile {
    record Saved(long start, long lostBeforeStart, List<DiskLog.Mark> marks) {}

    private final Path path;

    MarksFile(Path log) {
        this.path = log.resolveSibling(log.getFileName() + ".marks");
    }

    void append(DiskLog.Mark m) {
        try {
            createPrivate(path);
            Files.writeString(path, line(m), StandardCharsets.UTF_8, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException ignored) {
            // see the class comment
        }
    }

    void rewrite(long start, long lostBeforeStart, List<DiskLog.Mark> marks) {
        StringBuilder s = new StringBuilder("cut " + start + " " + lostBeforeStart + "\n");
        for (DiskLog.Mark m : marks) s.append(line(m));
        try {
            Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
            createPrivate(tmp);
            Files.writeString(tmp, s, StandardCharsets.UTF_8, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException ignored) {
            // see the class comment
        }
    }

    Saved read() throws IOException {
        long start = 0;
        long lost = 0;
        List<DiskLog.Mark> marks = new ArrayList<>();
        if (!Files.exists(path)) return new Saved(0, 0, marks);
        for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
            String[] w = line.split(" ", 4);
            try {
                if (w[0].equals("cut") && w.length >= 3) {
                    start = Long.parseLong(w[1]);
                    lost = Long.parseLong(w[2]);
                    marks.clear();
                } else if (w[0].equals("gap") && w.length == 4) {
                    marks.add(new DiskLog.Mark(Long.parseLong(w[1]), Long.parseLong(w[2]), w[3]));
                }
            } catch (NumberFormatException skipped) {
                // a torn line from a crash: the rest still counts
            }
        }
        return new Saved(start, lost, marks);
    }

    void delete() throws IOException {
        Files.deleteIfExists(path);
    }

    private static String line(DiskLog.Mark m) {
        return "gap " + m.at() + " " + m.bytes() + " " + m.why() + "\n";
    }

    /** Output may hold secrets: every file of ours is the user's alone, from its first byte. */
    static void createPrivate(Path p) throws IOException {
        try {
            Files.createFile(p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException fine) {
            // made by us before, with the same mode
        }
    }
}

package org.asyncio4j.testing;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads /proc: this JVM's child processes (with their state) and its open descriptors. */
public final class ProcessTable {
    private ProcessTable() {}

    /** A child of this JVM: pid, state letter (Z for zombie), command name. */
    public record Child(long pid, char state, String comm) {
        public boolean zombie() {
            return state == 'Z';
        }
    }

    /** Every live or zombie child of this process. */
    public static List<Child> children() {
        long self = ProcessHandle.current().pid();
        List<Child> out = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path dir : dirs) {
                String stat;
                try {
                    stat = Files.readString(dir.resolve("stat"));
                } catch (IOException gone) {
                    continue;
                }
                int close = stat.lastIndexOf(')');
                String comm = stat.substring(stat.indexOf('(') + 1, close);
                String[] rest = stat.substring(close + 2).split(" ");
                if (Long.parseLong(rest[1]) == self) {
                    out.add(new Child(Long.parseLong(dir.getFileName().toString()), rest[0].charAt(0), comm));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc", e);
        }
        return out;
    }

    /** The targets of this process's open descriptors that tests can leak: pipes, anonymous inodes (epoll, eventfd, pidfd), sockets. */
    public static List<String> leakableFds() {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("pipe:") || target.startsWith("anon_inode:") || target.startsWith("socket:")) {
                        out.add(fd.getFileName() + " -> " + target);
                    }
                } catch (IOException closedMeanwhile) {
                    // the directory stream's own fd, or one closed while listing
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self/fd", e);
        }
        return out;
    }
}

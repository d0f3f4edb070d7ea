package demo;

import java.util.List;
import org.asyncio4j.AsyncFuture;
import org.asyncio4j.EventLoop;
import org.asyncio4j.ProcessOutput;
import org.asyncio4j.Runner;
import org.asyncio4j.Subprocess;
import org.asyncio4j.SubprocessOptions;
import org.asyncio4j.proactor.ProactorEventLoopPolicy;
import org.asyncio4j.unix.Signals;

/**
 * Uses what needs libc (a child through subprocessExec with a pipe, and a signal handler) and the services the
 * module declares (the default policy, and the proactor policy's default watcher).
 */
public final class Main {
    private Main() {}

    /** Prints what it saw, one line each; ModulePathConsumerIT compares the lines. */
    public static void main(String[] args) {
        System.out.println("module: " + Runner.class.getModule().getName());
        try (Runner runner = new Runner()) {
            SubprocessOptions piped = SubprocessOptions.builder().stdout(SubprocessOptions.Redirect.PIPE).build();
            Subprocess echo = runner.run(loop -> loop.subprocessExec(List.of("echo", "through a pipe"), piped));
            ProcessOutput out = runner.run(loop -> echo.communicate(null));
            System.out.print("child: " + new String(out.stdout()));
            System.out.println("child exit: " + echo.returnCode());

            EventLoop loop = runner.getLoop();
            AsyncFuture<Integer> received = loop.createFuture();
            loop.addSignalHandler(Signals.SIGUSR1, () -> received.setResult(Signals.SIGUSR1));
            Subprocess sender = runner.run(l -> l.subprocessExec(List.of("sh", "-c", "kill -USR1 $PPID"),
                    SubprocessOptions.builder().build()));
            System.out.println("sender exit: " + runner.run(l -> sender.onExit()));
            System.out.println("signal: " + runner.run(l -> received));
            // the native signal path's thread: its library was read from the jar on the module path and loaded
            System.out.println("native signal thread: " + Thread.getAllStackTraces().keySet().stream()
                    .anyMatch(t -> t.isAlive() && t.getName().equals("asyncio4j-signals")));
            loop.removeSignalHandler(Signals.SIGUSR1);
        }
        ProactorEventLoopPolicy proactor = new ProactorEventLoopPolicy();
        System.out.println("proactor watcher: " + proactor.getChildWatcher().getClass().getSimpleName());
        proactor.setChildWatcher(null); // closes it
    }
}

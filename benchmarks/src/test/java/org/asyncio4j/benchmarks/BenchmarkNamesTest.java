package org.asyncio4j.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.asyncio4j.benchmarks.report.BenchmarkNames;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;

/** The report reads results only through BenchmarkNames: every name it uses must exist as declared here. */
class BenchmarkNamesTest {

    @Test
    void everyBenchmarkTheReportReadsIsAnAnnotatedMethod() throws Exception {
        for (String name : List.of(BenchmarkNames.SIGCHLD, BenchmarkNames.EXIT_LATENCY, BenchmarkNames.DRAIN,
                BenchmarkNames.SPAWN_SUBPROCESS_EXEC, BenchmarkNames.SPAWN_PROCESS_BUILDER,
                BenchmarkNames.SPAWN_RAW_POSIX_SPAWN, BenchmarkNames.LOOP_CALL_SOON_DISPATCH,
                BenchmarkNames.LOOP_CALL_SOON_CHAIN, BenchmarkNames.LOOP_CALL_LATER_INSERT_FIRE,
                BenchmarkNames.LOOP_CALL_SOON_THREADSAFE_ROUND_TRIP)) {
            Method m = method(name);
            assertNotNull(m.getAnnotation(Benchmark.class), name + " is not a @Benchmark");
        }
    }

    @Test
    void watcherParametersAreTheReportsWatchers() throws Exception {
        assertEquals(new TreeSet<>(BenchmarkNames.SIGCHLD_WATCHERS), watchers(SigchldBenchmark.class));
        assertEquals(new TreeSet<>(BenchmarkNames.EXIT_LATENCY_WATCHERS), watchers(ExitLatencyBenchmark.class));
        assertEquals(new TreeSet<>(BenchmarkNames.EXIT_LATENCY_WATCHERS), watchers(DrainBenchmark.class));
        for (Class<?> c : List.of(SigchldBenchmark.class, ExitLatencyBenchmark.class, DrainBenchmark.class)) {
            assertNotNull(c.getField(BenchmarkNames.PARAM_CHILDREN).getAnnotation(Param.class), c.getSimpleName());
        }
    }

    @Test
    void auxCountersCarryTheNamesTheReportReads() throws Exception {
        assertEquals(double.class, SigchldBenchmark.Counters.class.getMethod(BenchmarkNames.AUX_WAITPID_CALLS)
                .getReturnType());
        assertEquals(double.class, DrainBenchmark.Counters.class.getMethod(BenchmarkNames.AUX_SIGCHLD_PASSES)
                .getReturnType());
    }

    private static Set<String> watchers(Class<?> type) throws NoSuchFieldException {
        Field f = type.getField(BenchmarkNames.PARAM_WATCHER);
        return new TreeSet<>(Arrays.asList(f.getAnnotation(Param.class).value()));
    }

    private static Method method(String fullName) throws ClassNotFoundException {
        int dot = fullName.lastIndexOf('.');
        Class<?> type = Class.forName(fullName.substring(0, dot));
        String method = fullName.substring(dot + 1);
        Method found = Arrays.stream(type.getMethods()).filter(m -> m.getName().equals(method)).findFirst()
                .orElse(null);
        assertTrue(found != null, fullName + " has no method " + method);
        return found;
    }
}

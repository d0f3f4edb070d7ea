/*
 * watcher_limit.c - the physical limit of a Unix child watcher, measured in C.
 *
 * For each n given on the command line: keep n idle children alive, then repeatedly kill one
 * (SIGKILL), wait until it is a zombie (waitid(P_PID, pid, WEXITED|WNOWAIT) blocks until then,
 * without reaping) and time ONE pass of
 *   (a) the Safe scan:  waitpid(pid, WNOHANG) for every one of the n registered pids;
 *   (b) the Fast reap:  waitpid(-1, WNOHANG) until it returns 0 (or ECHILD);
 * with the dead child replaced by a fresh one after each pass (spawning is never timed); and
 *   (c) one waitpid(-1, WNOHANG) with nothing to reap.
 * Plus (d) the spawn rate: posix_spawn of /bin/true + waitpid, per second.
 *
 * Output: one JSON object on stdout (see usage()). Diagnostics go to stderr.
 * Every child is reaped at the end, and on SIGINT/SIGTERM/SIGHUP (children are kept in a process
 * group of their own, which is killed; children also get PR_SET_PDEATHSIG so a SIGKILLed tool
 * leaves no orphans).
 *
 * Build: cc -O2 -o watcher_limit watcher_limit.c
 * Run:   ./watcher_limit [--min-reps R] [--min-seconds S] [--max-seconds S] [--spawn-seconds S]
 *                        [--max-children N] n1 n2 ...
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* ---- children: an array of live pids, one process group, async-signal-safe cleanup ---- */

static pid_t *g_pids;              /* registered children; 0 = empty slot */
static volatile sig_atomic_t g_npids;
static volatile pid_t g_pgid;      /* process group of the children, 0 = none yet */
static pid_t g_parent;

static void kill_and_reap_all(void) {
    if (g_pgid > 0) kill(-g_pgid, SIGKILL);
    for (int i = 0; i < g_npids; i++)
        if (g_pids[i] > 0) kill(g_pids[i], SIGKILL);
    while (waitpid(-1, NULL, 0) > 0 || errno == EINTR) {
    }
    g_npids = 0;
    g_pgid = 0;
}

static void on_terminate(int sig) {
    static const char msg[] = "watcher_limit: interrupted, killing and reaping all children\n";
    ssize_t ignored = write(2, msg, sizeof msg - 1);
    (void) ignored;
    kill_and_reap_all();
    _exit(128 + sig);
}

/* Fork an idle child (pause() forever) into the children's process group. */
static pid_t spawn_idle(void) {
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        signal(SIGHUP, SIG_DFL);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != g_parent) _exit(0);
        for (;;) pause();
    }
    /* Join the group if it still exists; otherwise (all members reaped) start a new one. The
     * zombie being reaped keeps the group alive until then, so this only happens at n=1. */
    if (g_pgid == 0 || setpgid(pid, g_pgid) != 0) {
        if (setpgid(pid, pid) == 0) g_pgid = pid;
    }
    return pid;
}

static int spawn_children(int n) {
    for (int i = 0; i < n; i++) {
        pid_t pid = spawn_idle();
        if (pid < 0) {
            fprintf(stderr, "watcher_limit: fork failed after %d children: %s\n", i, strerror(errno));
            return -1;
        }
        g_pids[i] = pid;
        g_npids = i + 1;
    }
    return 0;
}

/* ---- time and statistics ---- */

static inline double now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *) a, y = *(const double *) b;
    return (x > y) - (x < y);
}

/* Linear interpolation between closest ranks; v must be sorted. */
static double percentile(const double *v, int n, double p) {
    if (n == 0) return 0;
    double pos = p / 100.0 * (n - 1);
    int lo = (int) pos;
    int hi = lo + 1 < n ? lo + 1 : lo;
    return v[lo] + (v[hi] - v[lo]) * (pos - lo);
}

static void print_stats(const char *name, double *v, int n) {
    qsort(v, n, sizeof *v, cmp_double);
    printf("\"%s\":{\"p50\":%.3f,\"p10\":%.3f,\"p90\":%.3f,\"min\":%.3f}", name,
           percentile(v, n, 50), percentile(v, n, 10), percentile(v, n, 90), v[0]);
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint32_t next_random(uint32_t bound) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t) (rng_state % bound);
}

/* ---- limits ---- */

static long read_long_file(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    char buf[64];
    long v = -1;
    if (fgets(buf, sizeof buf, f)) v = strncmp(buf, "max", 3) == 0 ? -2 : strtol(buf, NULL, 10);
    fclose(f);
    return v; /* -1 unreadable, -2 "max" */
}

/* Tasks (threads) of our real uid: what RLIMIT_NPROC counts. */
static long count_user_tasks(uid_t uid) {
    DIR *d = opendir("/proc");
    if (!d) return -1;
    long total = 0;
    struct dirent *e;
    char path[300], line[256];
    while ((e = readdir(d))) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
        snprintf(path, sizeof path, "/proc/%s/status", e->d_name);
        FILE *f = fopen(path, "r");
        if (!f) continue;
        long uid_real = -1, threads = 1;
        while (fgets(line, sizeof line, f)) {
            if (strncmp(line, "Uid:", 4) == 0) uid_real = strtol(line + 4, NULL, 10);
            else if (strncmp(line, "Threads:", 8) == 0) threads = strtol(line + 8, NULL, 10);
        }
        fclose(f);
        if (uid_real == (long) uid) total += threads;
    }
    closedir(d);
    return total;
}

/* Tasks on the whole system, from the 4th field of /proc/loadavg ("running/total"). */
static long count_system_tasks(void) {
    FILE *f = fopen("/proc/loadavg", "r");
    if (!f) return -1;
    double a, b, c;
    long running, total = -1;
    if (fscanf(f, "%lf %lf %lf %ld/%ld", &a, &b, &c, &running, &total) != 5) total = -1;
    fclose(f);
    return total;
}

/* pids.max of our cgroup (v2 unified, or v1 pids controller), -2 when unlimited, -1 unknown. */
static long cgroup_pids_headroom(void) {
    FILE *f = fopen("/proc/self/cgroup", "r");
    if (!f) return -1;
    char line[512], path[700];
    long headroom = -1;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        char *c1 = strchr(line, ':');
        char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
        if (!c2) continue;
        const char *base;
        if (strncmp(line, "0::", 3) == 0) base = "/sys/fs/cgroup";
        else if (strstr(c1, ":pids:") == c1) base = "/sys/fs/cgroup/pids";
        else continue;
        snprintf(path, sizeof path, "%s%s/pids.max", base, c2 + 1);
        long max = read_long_file(path);
        if (max == -1) continue;
        if (max == -2) { if (headroom == -1) headroom = -2; continue; }
        snprintf(path, sizeof path, "%s%s/pids.current", base, c2 + 1);
        long cur = read_long_file(path);
        long room = max - (cur > 0 ? cur : 0);
        if (headroom < 0 || room < headroom) headroom = room;
    }
    fclose(f);
    return headroom;
}

#define HEADROOM 64 /* tasks kept free for the tool itself, the shell and the replacement child */

/* Returns NULL when n children fit, else a static message saying why not. */
static const char *refuse_reason(long n, long max_children) {
    static char why[400];
    if (n > max_children) {
        snprintf(why, sizeof why, "n=%ld exceeds --max-children %ld", n, max_children);
        return why;
    }
    struct rlimit rl;
    if (getrlimit(RLIMIT_NPROC, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && getuid() != 0) {
        long used = count_user_tasks(getuid());
        long room = (long) rl.rlim_cur - (used > 0 ? used : 0) - HEADROOM;
        if (n > room) {
            snprintf(why, sizeof why,
                     "n=%ld does not fit RLIMIT_NPROC (ulimit -u) %ld: %ld tasks of uid %d already, "
                     "%d kept free; raise it with ulimit -u", n, (long) rl.rlim_cur, used, (int) getuid(),
                     HEADROOM);
            return why;
        }
    }
    long pid_max = read_long_file("/proc/sys/kernel/pid_max");
    long tasks = count_system_tasks();
    if (pid_max > 0 && tasks > 0 && n > pid_max - tasks - HEADROOM) {
        snprintf(why, sizeof why, "n=%ld does not fit kernel.pid_max %ld with %ld tasks running", n,
                 pid_max, tasks);
        return why;
    }
    long threads_max = read_long_file("/proc/sys/kernel/threads-max");
    if (threads_max > 0 && tasks > 0 && n > threads_max - tasks - HEADROOM) {
        snprintf(why, sizeof why, "n=%ld does not fit kernel.threads-max %ld with %ld tasks running", n,
                 threads_max, tasks);
        return why;
    }
    long cg = cgroup_pids_headroom();
    if (cg >= 0 && n > cg - HEADROOM) {
        snprintf(why, sizeof why, "n=%ld does not fit the cgroup's pids.max (room for %ld tasks)", n, cg);
        return why;
    }
    return NULL;
}

/* ---- the measurement ---- */

typedef struct {
    int min_reps;
    double min_seconds, max_seconds, spawn_seconds;
    long max_children;
} options;

/* Kill children[i], block until it is a zombie (not reaped). Returns 0 on success. */
static int kill_to_zombie(int i) {
    pid_t pid = g_pids[i];
    if (kill(pid, SIGKILL) != 0) return -1;
    siginfo_t si;
    for (;;) {
        memset(&si, 0, sizeof si);
        if (waitid(P_PID, (id_t) pid, &si, WEXITED | WNOWAIT) == 0) return 0;
        if (errno != EINTR) return -1;
    }
}

static int replace_child(int i) {
    pid_t pid = spawn_idle();
    if (pid < 0) {
        fprintf(stderr, "watcher_limit: fork of a replacement failed: %s\n", strerror(errno));
        return -1;
    }
    g_pids[i] = pid;
    return 0;
}

/* One point: returns 0 and prints a JSON object, or -1 on a failure (already reported). */
static int measure_point(int n, const options *o, int first) {
    if (spawn_children(n) != 0) { kill_and_reap_all(); return -1; }
    int cap = 1 << 16;
    double *safe = malloc(sizeof(double) * cap), *fast = malloc(sizeof(double) * cap),
           *idle = malloc(sizeof(double) * cap);
    long fast_calls = 0, fast_reaped = 0, safe_reaped = 0;
    int reps = 0, st, rc = 0;
    double start = now_us();
    /* one untimed warm-up round of each, then measure */
    for (int round = -1;; round++) {
        double elapsed = (now_us() - start) / 1e6;
        if (round >= 0 && reps >= o->min_reps && elapsed >= o->min_seconds) break;
        if (round >= 0 && reps >= o->min_reps && elapsed >= o->max_seconds) break;
        if (reps >= cap) break;

        /* (a) Safe scan */
        int victim = (int) next_random((uint32_t) n);
        if (kill_to_zombie(victim) != 0) { perror("watcher_limit: kill/waitid"); rc = -1; break; }
        int reaped = 0;
        double t0 = now_us();
        for (int j = 0; j < n; j++) {
            pid_t r = waitpid(g_pids[j], &st, WNOHANG);
            if (r > 0) reaped++;
        }
        double t1 = now_us();
        if (reaped != 1) fprintf(stderr, "watcher_limit: Safe scan reaped %d children, expected 1\n", reaped);
        if (n == 1) g_pgid = 0; /* the only member is gone: the group no longer exists */
        if (replace_child(victim) != 0) { rc = -1; break; }

        /* (b) Fast reap */
        victim = (int) next_random((uint32_t) n);
        if (kill_to_zombie(victim) != 0) { perror("watcher_limit: kill/waitid"); rc = -1; break; }
        int calls = 0, freaped = 0;
        double t2 = now_us();
        for (;;) {
            calls++;
            pid_t r = waitpid(-1, &st, WNOHANG);
            if (r > 0) { freaped++; continue; }
            if (r < 0 && errno == EINTR) continue;
            break; /* 0: children left but none ready; -1/ECHILD: no children at all */
        }
        double t3 = now_us();
        if (freaped != 1) fprintf(stderr, "watcher_limit: Fast reap reaped %d children, expected 1\n", freaped);
        if (n == 1) g_pgid = 0;
        if (replace_child(victim) != 0) { rc = -1; break; }

        /* (c) one waitpid(-1, WNOHANG) with nothing to reap */
        double t4 = now_us();
        pid_t r = waitpid(-1, &st, WNOHANG);
        double t5 = now_us();
        if (r != 0) fprintf(stderr, "watcher_limit: idle waitpid(-1) returned %d\n", (int) r);

        if (round < 0) continue;
        safe[reps] = t1 - t0;
        fast[reps] = t3 - t2;
        idle[reps] = t5 - t4;
        fast_calls += calls;
        fast_reaped += freaped;
        safe_reaped += reaped;
        reps++;
    }
    double seconds = (now_us() - start) / 1e6;
    kill_and_reap_all();
    if (rc == 0 && reps > 0) {
        printf("%s{\"n\":%d,", first ? "" : ",", n);
        print_stats("safe_us", safe, reps);
        putchar(',');
        print_stats("fast_us", fast, reps);
        putchar(',');
        print_stats("idle_waitpid_us", idle, reps);
        printf(",\"safe_waitpid_calls\":%d,\"fast_waitpid_calls\":%.3f,\"safe_reaped\":%.3f,"
               "\"fast_reaped\":%.3f,\"reps\":%d,\"seconds\":%.2f}",
               n, (double) fast_calls / reps, (double) safe_reaped / reps, (double) fast_reaped / reps,
               reps, seconds);
        fflush(stdout);
    }
    free(safe);
    free(fast);
    free(idle);
    return rc;
}

/* (d) posix_spawn of /bin/true + waitpid, per second. */
static double spawn_rate(double seconds) {
    char *argv[] = {"true", NULL};
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
    long count = 0;
    double start = now_us(), end = start + seconds * 1e6, t;
    for (int i = 0; i < 10; i++) { /* warm-up */
        pid_t pid;
        if (posix_spawn(&pid, "/bin/true", NULL, &attr, argv, environ) == 0) waitpid(pid, NULL, 0);
    }
    start = now_us();
    end = start + seconds * 1e6;
    do {
        pid_t pid;
        int err = posix_spawn(&pid, "/bin/true", NULL, &attr, argv, environ);
        if (err != 0) {
            fprintf(stderr, "watcher_limit: posix_spawn /bin/true: %s\n", strerror(err));
            posix_spawnattr_destroy(&attr);
            return -1;
        }
        waitpid(pid, NULL, 0);
        count++;
        t = now_us();
    } while (t < end);
    posix_spawnattr_destroy(&attr);
    return count / ((t - start) / 1e6);
}

static void usage(FILE *out) {
    fprintf(out,
            "usage: watcher_limit [options] n1 [n2 ...]\n"
            "  Times, per n idle children, one Safe scan (waitpid(pid,WNOHANG) x n), one Fast reap\n"
            "  (waitpid(-1,WNOHANG) until 0) and one idle waitpid(-1,WNOHANG); prints JSON on stdout:\n"
            "  {\"tool\":\"c\",\"kernel\":..,\"points\":[{\"n\":..,\"safe_us\":{\"p50\",\"p10\",\"p90\"},"
            "\"fast_us\":{..},\"idle_waitpid_us\":{..},\"reps\":..}],\"spawn_per_sec\":..}\n"
            "options:\n"
            "  --min-reps R        at least R timed repetitions per n (default 20)\n"
            "  --min-seconds S     and at least S seconds per n (default 0.5)\n"
            "  --max-seconds S     stop after S seconds per n once R reps are done (default 10)\n"
            "  --spawn-seconds S   duration of the posix_spawn rate test, 0 to skip (default 1)\n"
            "  --max-children N    refuse n above N (default 20000)\n");
}

int main(int argc, char **argv) {
    options o = {20, 0.5, 10.0, 1.0, 20000};
    int ns[64], count = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) { usage(stdout); return 0; }
        if (a[0] == '-' && i + 1 >= argc) { usage(stderr); return 2; }
        if (!strcmp(a, "--min-reps")) o.min_reps = atoi(argv[++i]);
        else if (!strcmp(a, "--min-seconds")) o.min_seconds = atof(argv[++i]);
        else if (!strcmp(a, "--max-seconds")) o.max_seconds = atof(argv[++i]);
        else if (!strcmp(a, "--spawn-seconds")) o.spawn_seconds = atof(argv[++i]);
        else if (!strcmp(a, "--max-children")) o.max_children = atol(argv[++i]);
        else {
            char *end;
            long n = strtol(a, &end, 10);
            if (*end || n < 1 || count == 64) {
                fprintf(stderr, "watcher_limit: bad argument '%s'\n", a);
                usage(stderr);
                return 2;
            }
            ns[count++] = (int) n;
        }
    }
    if (count == 0) { usage(stderr); return 2; }
    if (o.min_reps < 1) o.min_reps = 1;

    g_parent = getpid();
    signal(SIGCHLD, SIG_DFL); /* SIG_IGN would make the kernel reap the children itself */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_terminate;
    sigfillset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    rng_state ^= (uint64_t) getpid() << 17;

    /* A waitpid(-1) pass must see only our own children: refuse to start with stray ones. */
    if (waitpid(-1, NULL, WNOHANG) >= 0) {
        fprintf(stderr, "watcher_limit: this process already has children; run it directly\n");
        return 2;
    }

    struct utsname u;
    uname(&u);
    int maxn = 1;
    for (int i = 0; i < count; i++) if (ns[i] > maxn) maxn = ns[i];
    g_pids = calloc((size_t) maxn, sizeof(pid_t));

    double spawn = o.spawn_seconds > 0 ? spawn_rate(o.spawn_seconds) : -1;

    struct rlimit rl;
    getrlimit(RLIMIT_NPROC, &rl);
    printf("{\"tool\":\"c\",\"kernel\":\"%s %s\",\"machine\":\"%s\",\"cores\":%ld,"
           "\"clock\":\"CLOCK_MONOTONIC\",\"rlimit_nproc\":%ld,\"pid_max\":%ld,"
           "\"min_reps\":%d,\"min_seconds\":%.2f,\"points\":[",
           u.sysname, u.release, u.machine, sysconf(_SC_NPROCESSORS_ONLN),
           rl.rlim_cur == RLIM_INFINITY ? -1L : (long) rl.rlim_cur,
           read_long_file("/proc/sys/kernel/pid_max"), o.min_reps, o.min_seconds);
    fflush(stdout);

    int first = 1, failed = 0;
    char refused[64][400];
    int nrefused = 0;
    for (int i = 0; i < count; i++) {
        const char *why = refuse_reason(ns[i], o.max_children);
        if (why) {
            fprintf(stderr, "watcher_limit: refusing %s\n", why);
            snprintf(refused[nrefused++], sizeof refused[0], "%s", why);
            continue;
        }
        fprintf(stderr, "watcher_limit: n=%d ...\n", ns[i]);
        if (measure_point(ns[i], &o, first) == 0) first = 0;
        else failed = 1;
    }
    printf("],\"spawn_per_sec\":");
    if (spawn > 0) printf("%.1f", spawn); else printf("null");
    printf(",\"refused\":[");
    for (int i = 0; i < nrefused; i++) {
        printf("%s\"", i ? "," : "");
        for (const char *p = refused[i]; *p; p++) {
            if (*p == '"' || *p == '\\') putchar('\\');
            putchar(*p);
        }
        putchar('"');
    }
    printf("]}\n");
    kill_and_reap_all();
    free(g_pids);
    return failed ? 1 : 0;
}

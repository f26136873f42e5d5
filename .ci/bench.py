#!/usr/bin/env python3
"""Benchmark of jobs against a plain pty and the terminal tools people use (dtach, abduco, tmux,
script). Run through .ci/bench; see README "Benchmarks". Prints one table: for each figure the
median of several runs with min and max, and the ratio to the baseline measured in this run.

Everything runs in a private temp dir (XDG_RUNTIME_DIR, dtach/abduco/tmux sockets); every process
started is killed at the end. Nothing here asserts a time: it measures and prints."""

import json, os, pty, select, signal, socket, statistics, struct, subprocess, sys, tempfile
import fcntl, termios, time, shutil, array

QUICK = "--quick" in sys.argv
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JOBS = os.path.join(REPO, "jobs")
TMP = tempfile.mkdtemp(prefix="jb-", dir="/tmp")
RT = os.path.join(TMP, "rt")
os.mkdir(RT, 0o700)
ENV = dict(os.environ, XDG_RUNTIME_DIR=RT, XDG_CONFIG_HOME=os.path.join(TMP, "cfg"),
           ABDUCO_SOCKET_DIR=TMP, TERM="xterm-256color", BENCH_TAG=TMP)
ENV.pop("JDK_JAVA_OPTIONS", None)
ENV.pop("JAVA_TOOL_OPTIONS", None)
ROWS = []          # (figure, tool, unit, samples, baseline_median or None)
STARTED = []       # pids we must not leave behind


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def have(tool):
    return shutil.which(tool) is not None


# ---------- ptys ----------

def spawn(argv, env=ENV, rows=24, cols=80):
    pid, fd = pty.fork()
    if pid == 0:
        try:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
            os.execvpe(argv[0], argv, env)
        finally:
            os._exit(127)
    STARTED.append(pid)
    return pid, fd


def read_some(fd, timeout):
    r, _, _ = select.select([fd], [], [], timeout)
    if not r:
        return b""
    try:
        data = os.read(fd, 1 << 16)
    except OSError:
        return None
    return data if data else None


def reap(pid, fd, timeout=20):
    """Drains the pty until the child exits; kills it if it does not within timeout."""
    end = time.monotonic() + timeout
    status = None
    while time.monotonic() < end:
        if read_some(fd, 0.05) is None:
            break
        p, st = os.waitpid(pid, os.WNOHANG)
        if p:
            status = st
            break
    if status is None:
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass
        _, status = os.waitpid(pid, 0)
    os.close(fd)
    return status


def wait_raw(fd, timeout=60):
    """Waits until the program on the pty has put it in raw mode (its client is attached)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if not termios.tcgetattr(fd)[3] & termios.ECHO:
            return True
        read_some(fd, 0.01)
    return False


# ---------- jobs protocol (for the drivers that hold many connections) ----------

def frame(obj):
    b = json.dumps(obj).encode()
    return struct.pack(">I", len(b)) + b


def recv_frame(s):
    """One frame and any passed descriptor."""
    fds = array.array("i")
    head = b""
    while len(head) < 4:
        msg, anc, _, _ = s.recvmsg(4 - len(head), socket.CMSG_SPACE(4 * fds.itemsize))
        if not msg:
            return None, None
        head += msg
        for level, typ, data in anc:
            if level == socket.SOL_SOCKET and typ == socket.SCM_RIGHTS:
                fds.frombytes(data[: len(data) - len(data) % fds.itemsize])
    n = struct.unpack(">I", head)[0]
    body = b""
    while len(body) < n:
        msg, anc, _, _ = s.recvmsg(n - len(body), socket.CMSG_SPACE(4 * fds.itemsize))
        if not msg:
            return None, None
        body += msg
        for level, typ, data in anc:
            if level == socket.SOL_SOCKET and typ == socket.SCM_RIGHTS:
                fds.frombytes(data[: len(data) - len(data) % fds.itemsize])
    return json.loads(body), (fds[0] if fds else None)


def connect():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(os.path.join(RT, "job-security", "sock"))
    return s


def request(obj):
    with connect() as s:
        s.sendall(frame(obj))
        return recv_frame(s)[0]


def run_request(argv, detached):
    return {"type": "Request.Run", "v": 1, "command": argv, "env": {"PATH": os.environ["PATH"],
            "TERM": "xterm-256color", "HOME": os.environ.get("HOME", "/")}, "cwd": TMP,
            "rows": 24, "cols": 80, "detached": detached}


def list_jobs():
    return request({"type": "Request.ListJobs", "v": 1})["jobs"]


def jobs_cli(*args, env=ENV):
    return subprocess.run([JOBS, *args], env=env, stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)


def kill_server():
    try:
        jobs_cli("kill-server")
    except subprocess.TimeoutExpired:
        pass


# ---------- /proc ----------

def procs():
    for d in os.listdir("/proc"):
        if d.isdigit():
            yield int(d)


def cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().split(b"\0")
    except OSError:
        return []


def tagged(pid):
    try:
        with open(f"/proc/{pid}/environ", "rb") as f:
            return ("BENCH_TAG=" + TMP).encode() in f.read().split(b"\0")
    except OSError:
        return False


def comm(pid):
    try:
        with open(f"/proc/{pid}/comm") as f:
            return f.read().strip()
    except OSError:
        return ""


def jobs_pids():
    """The daemon (started from our environment) and every runner (its argv names our socket)."""
    out = []
    for p in procs():
        c = cmdline(p)
        if b"jobs.cli.Main" not in c:
            continue
        if b"__runner" in c and any(RT.encode() in a for a in c):
            out.append(p)
        elif b"daemon" in c and tagged(p):
            out.append(p)
    return out


def daemon_pid():
    for p in procs():
        c = cmdline(p)
        if b"jobs.cli.Main" in c and b"daemon" in c and tagged(p):
            return p
    return None


def peer_pids(name):
    return [p for p in procs() if comm(p) == name and tagged(p)]


def mem(pids):
    pss = rss = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        pss += int(line.split()[1])
                    elif line.startswith("Rss:"):
                        rss += int(line.split()[1])
        except OSError:
            pass
    return pss / 1024, rss / 1024


def ticks(pids):
    t = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            t += int(fields[11]) + int(fields[12])
        except OSError:
            pass
    return t


def status_field(pid, name):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(name + ":"):
                return int(line.split()[1])
    return 0


def add(figure, tool, unit, samples, baseline=False):
    ROWS.append((figure, tool, unit, list(samples), baseline))


# ---------- 1. throughput ----------

def throughput_once(argv):
    pid, fd = spawn(argv)
    first = None
    total = 0
    while True:
        data = read_some(fd, 0.2)
        if data is None:
            break
        if data:
            if first is None:
                first = time.monotonic()
            total += len(data)
            last = time.monotonic()
        elif os.waitpid(pid, os.WNOHANG)[0]:
            STARTED.remove(pid)
            os.close(fd)
            return last - first, total
    reap(pid, fd)
    return last - first, total


def fig_throughput(runs, mb):
    path = os.path.join(TMP, "text")
    line = b"the quick brown fox jumps over the lazy dog 0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ\n"
    with open(path, "wb") as f:
        f.write(line * (mb * 1024 * 1024 // len(line)))
    tools = [("plain pty", ["cat", path]), ("jobs", [JOBS, "run", "cat", path])]
    if have("dtach"):
        tools.append(("dtach", ["dtach", "-c", os.path.join(TMP, "dt-tp"), "-E", "-r", "none", "cat", path]))
    if have("abduco"):
        tools.append(("abduco", ["abduco", "-c", "tp", "cat", path]))
    if have("script"):
        tools.append(("script", ["script", "-qfec", "cat " + path, "/dev/null"]))
    for name, argv in tools:
        samples = []
        for _ in range(runs):
            secs, n = throughput_once(argv)
            samples.append(secs)
        log(f"  throughput {name}: {[round(s, 3) for s in samples]} s, {n} bytes in the last run")
        add(f"1 {mb} MB cat through a pty, first byte to exit", name, "s", samples, name == "plain pty")
    os.unlink(path)


# ---------- 2. echo latency ----------

def echo_once(argv, keys, needs_raw):
    pid, fd = spawn(argv)
    if needs_raw and not wait_raw(fd):
        reap(pid, fd)
        raise RuntimeError(f"{argv[0]} never attached")
    # the first key proves the whole path is up (the job's pty exists)
    os.write(fd, b"p")
    end = time.monotonic() + 60
    buf = b""
    while b"p" not in buf and time.monotonic() < end:
        buf += read_some(fd, 0.1) or b""
    lat = []
    for _ in range(keys):
        t0 = time.perf_counter()
        os.write(fd, b"x")
        got = b""
        while b"x" not in got:
            d = read_some(fd, 5)
            if d is None or d == b"":
                raise RuntimeError(f"{argv[0]}: no echo")
            got += d
        lat.append((time.perf_counter() - t0) * 1000)
    os.write(fd, b"\x03")
    reap(pid, fd)
    STARTED.remove(pid)
    lat.sort()
    return lat[len(lat) // 2], lat[min(len(lat) - 1, int(len(lat) * 0.99))]


def fig_echo(runs, keys):
    tools = [("plain pty", ["cat"], False), ("jobs", [JOBS, "run", "cat"], True)]
    if have("dtach"):
        tools.append(("dtach", ["dtach", "-c", os.path.join(TMP, "dt-echo"), "-E", "-r", "none", "cat"], True))
    if have("abduco"):
        tools.append(("abduco", ["abduco", "-c", "echo", "cat"], True))
    if have("tmux"):
        tools.append(("tmux", ["tmux", "-S", os.path.join(TMP, "tmux-echo"), "-f", "/dev/null",
                               "new-session", "cat"], True))
    for name, argv, raw in tools:
        p50s, p99s = [], []
        for _ in range(runs):
            a, b = echo_once(argv, keys, raw)
            p50s.append(a)
            p99s.append(b)
        add(f"2 echo latency p50 ({keys} keys)", name, "ms", p50s, name == "plain pty")
        add(f"2 echo latency p99 ({keys} keys)", name, "ms", p99s, name == "plain pty")
        log(f"  echo {name}: p50 {[round(x, 3) for x in p50s]} p99 {[round(x, 3) for x in p99s]}")
        if name == "tmux":
            subprocess.run(["tmux", "-S", argv[2], "kill-server"], env=ENV, stderr=subprocess.DEVNULL)


# ---------- 3. start-up ----------

def trivial_main():
    java = open(os.path.join(REPO, "target", ".java-path")).read().split("\n")[1]
    bindir = os.path.dirname(os.path.realpath(java))
    src = os.path.join(TMP, "Hello.java")
    with open(src, "w") as f:
        f.write("public class Hello { public static void main(String[] a) { System.out.println(\"hi\"); } }\n")
    subprocess.run([os.path.join(bindir, "javac"), "-d", os.path.join(TMP, "hello"), src], check=True)
    jar = os.path.join(TMP, "hello.jar")
    subprocess.run([os.path.join(bindir, "jar"), "cf", jar, "-C", os.path.join(TMP, "hello"), "."], check=True)
    # the launcher's own flags, without anything made for jobs itself
    return [java, "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-Xshare:auto", "-cp", jar, "Hello"]


def wall(argv):
    t0 = time.monotonic()
    pid, fd = spawn(argv)
    st = reap(pid, fd, 30)
    STARTED.remove(pid)
    if not os.WIFEXITED(st) or os.WEXITSTATUS(st) != 0:
        log(f"  {argv}: status {st}")
    return (time.monotonic() - t0) * 1000


def fig_startup(runs):
    hello = trivial_main()
    for _ in range(2):  # page cache and daemon warm
        wall(hello), wall([JOBS, "run", "true"]), wall([JOBS, "list"])
    for label, argv in [("trivial Java main", hello), ("jobs run true", [JOBS, "run", "true"]),
                        ("jobs list", [JOBS, "list"])]:
        samples = [wall(argv) for _ in range(runs)]
        add("3 start to exit, whole process", label, "ms", samples, label == "trivial Java main")
        log(f"  start {label}: {[round(x) for x in samples]} ms")


# ---------- 4+5. 50 idle jobs: memory and idle CPU ----------

def start_idle(n):
    """Starts n idle sleep jobs under each tool; returns {tool: pid finder}."""
    for i in range(n):
        with connect() as s:
            s.sendall(frame(run_request(["sleep", "100000"], True)))
            reply, _ = recv_frame(s)
            if reply.get("type") != "Event.Background":
                raise RuntimeError(f"run -d: {reply}")
    end = time.monotonic() + 180
    while time.monotonic() < end:
        if sum(1 for j in list_jobs() if j["state"] == "RUNNING") >= n:
            break
        time.sleep(0.2)
    finders = {"jobs (daemon + runners)": jobs_pids}
    if have("dtach"):
        for i in range(n):
            subprocess.run(["dtach", "-n", os.path.join(TMP, f"dt-{i}"), "sleep", "100000"], env=ENV, check=True)
        finders["dtach"] = lambda: peer_pids("dtach")
    if have("abduco"):
        for i in range(n):
            subprocess.run(["abduco", "-n", f"idle{i}", "sleep", "100000"], env=ENV, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        finders["abduco"] = lambda: peer_pids("abduco")
    if have("tmux"):
        sock = os.path.join(TMP, "tmux-idle")
        for i in range(n):
            subprocess.run(["tmux", "-S", sock, "-f", "/dev/null", "new-session", "-d", "-s", f"s{i}",
                            "sleep 100000"], env=ENV, check=True)
        finders["tmux"] = lambda: peer_pids("tmux: server")
    return finders


def fig_idle(n, windows, secs):
    finders = start_idle(n)
    time.sleep(5 if QUICK else 10)  # the last runners finish starting up and compiling
    pss = {k: [] for k in finders}
    rss = {k: [] for k in finders}
    cpu = {k: [] for k in finders}
    for _ in range(windows):
        before = {}
        for k, f in finders.items():
            pids = f()
            p, r = mem(pids)
            pss[k].append(p / n)
            rss[k].append(r / n)
            before[k] = (pids, ticks(pids))
        time.sleep(secs)
        for k, (pids, t) in before.items():
            cpu[k].append(ticks(pids) - t)
    log(f"  idle: processes counted {({k: len(f()) for k, f in finders.items()})}")
    base = "dtach" if "dtach" in finders else None
    for k in finders:
        add(f"4 PSS per job, {n} idle jobs", k, "MB", pss[k], k == base)
    for k in finders:
        add(f"4 RSS per job, {n} idle jobs", k, "MB", rss[k], k == base)
    for k in finders:
        add(f"5 idle CPU ticks, {n} jobs, {secs} s", k, "ticks", cpu[k], k == base)
    log(f"  idle cpu {cpu}")
    if have("tmux"):
        subprocess.run(["tmux", "-S", os.path.join(TMP, "tmux-idle"), "kill-server"], env=ENV)
    for p in peer_pids("dtach") + peer_pids("abduco"):
        os.kill(p, signal.SIGTERM)
    for p in procs():
        if comm(p) == "sleep" and tagged(p):
            try:
                os.kill(p, signal.SIGKILL)
            except OSError:
                pass


# ---------- 6. many attached jobs ----------

def fig_scale(n, keys):
    ctl, data = [], []
    t0 = time.monotonic()
    failed = 0
    # ten at a time, as people start jobs: a hundred JVMs started at once on two cores miss the
    # daemon's runner deadline, which is a start-up figure, not the attached-scale one measured here
    for batch in range(0, n, 10):
        pending = []
        for i in range(batch, min(n, batch + 10)):
            s = connect()
            s.sendall(frame(run_request(["cat"], False)))
            s.settimeout(180)
            pending.append(s)
        for s in pending:
            reply, fd = recv_frame(s)
            if reply is None or reply.get("type") != "Event.Running" or fd is None:
                log(f"  scale: run: {reply}")
                failed += 1
                s.close()
                continue
            ctl.append(s)
            data.append(socket.socket(fileno=fd))
    log(f"  scale: {len(data)} attached, {failed} failed, in {time.monotonic() - t0:.1f} s")
    add(f"6 {n} attached jobs, seconds to start all", "jobs", "s", [time.monotonic() - t0])
    for d in data:
        d.settimeout(60)
    echoed = 0
    for d in data:  # the pty's echo proves the job's path is up
        d.sendall(b"p")
        got = b""
        while b"p" not in got:
            got += d.recv(4096)
        echoed += 1
    lat = []
    for _ in range(keys):
        for d in data:
            t = time.perf_counter()
            d.sendall(b"x")
            got = b""
            while b"x" not in got:
                got += d.recv(4096)
            lat.append((time.perf_counter() - t) * 1000)
    threads = status_field(daemon_pid(), "Threads")
    lat.sort()
    add(f"6 {n} attached jobs, echo p50", "jobs", "ms", [lat[len(lat) // 2]])
    add(f"6 {n} attached jobs, echo p99", "jobs", "ms", [lat[int(len(lat) * 0.99)]])
    add(f"6 {n} attached jobs, jobs that echoed", "jobs", "jobs", [echoed])
    add(f"6 {n} attached jobs, daemon threads", "jobs", "threads", [threads])
    for d in data:
        d.sendall(b"\x03")
    for s in ctl:
        while True:
            reply, _ = recv_frame(s)
            if reply is None or reply.get("type") in ("Event.Finished", "Event.Stopped"):
                break
        s.close()
    for d in data:
        d.close()


# ---------- 7. a detached job writing a lot ----------

def fig_flood(runs, mb):
    kill_server()
    jobs_cli("run", "true")
    d = daemon_pid()
    time.sleep(1)
    idle = status_field(d, "VmRSS") / 1024
    peaks, secs = [], []
    for _ in range(runs):
        t0 = time.monotonic()
        reply = request(run_request(["sh", "-c", f"yes 0123456789abcdefghijklmnopqrstuvwxyz | head -c {mb * 1000 * 1000}"], True))
        jid = reply["id"]
        peak = 0
        while True:
            peak = max(peak, status_field(d, "VmRSS") / 1024)
            js = [j for j in list_jobs() if j["id"] == jid]
            if js and js[0]["state"] == "FINISHED":
                break
            time.sleep(0.02)
        secs.append(time.monotonic() - t0)
        peaks.append(peak)
    add(f"7 detached job writing {mb} MB: daemon RSS", "idle daemon", "MB", [idle], True)
    add(f"7 detached job writing {mb} MB: daemon RSS", "peak while writing", "MB", peaks)
    add(f"7 detached job writing {mb} MB: time", "jobs", "s", secs)
    log(f"  flood: peaks {peaks} MB, {secs} s, idle {idle} MB")


# ---------- table ----------

def table():
    print()
    print(f"jobs benchmark ({'quick' if QUICK else 'full'} mode), {os.cpu_count()} cpus, "
          f"{time.strftime('%Y-%m-%d %H:%M')}, git {subprocess.run(['git', '-C', REPO, 'rev-parse', '--short', 'HEAD'], stdout=subprocess.PIPE, text=True).stdout.strip()}")
    print(f"{'figure':<48} {'tool':<24} {'median':>9} {'min':>9} {'max':>9} {'unit':<7} {'ratio':>7}  runs")
    figures = list(dict.fromkeys(r[0] for r in ROWS))
    for fig in figures:
        rows = [r for r in ROWS if r[0] == fig]
        bases = [r for r in rows if r[4]]
        base = statistics.median(bases[0][3]) if bases else None
        print()
        for i, (_, tool, unit, samples, is_base) in enumerate(rows):
            med = statistics.median(samples)
            ratio = f"{med / base:7.2f}" if base else "      -"
            fmt = (lambda v: f"{v:9.3f}") if unit in ("ms", "s") and med < 10 else (lambda v: f"{v:9.1f}")
            print(f"{fig if i == 0 else '':<48} {tool + (' *' if is_base else ''):<24} "
                  f"{fmt(med)} {fmt(min(samples))} {fmt(max(samples))} {unit:<7} {ratio}  {len(samples)}")
    print("\n* = the baseline of its figure; ratio = median / baseline median")


def cleanup():
    kill_server()
    for p in procs():
        if tagged(p) or any(RT.encode() in a for a in cmdline(p)):
            try:
                os.kill(p, signal.SIGKILL)
            except OSError:
                pass
    for p in STARTED:
        try:
            os.killpg(p, signal.SIGKILL)
        except OSError:
            pass
    shutil.rmtree(TMP, ignore_errors=True)


def main():
    t0 = time.monotonic()
    try:
        # the daemon of this run: its virtual threads get two carriers, as on the machine
        jobs_cli("run", "true", env=dict(ENV, JDK_JAVA_OPTIONS="-Djdk.virtualThreadScheduler.parallelism=2"))
        steps = [
            ("throughput", lambda: fig_throughput(3 if QUICK else 5, 20 if QUICK else 100)),
            ("echo", lambda: fig_echo(2 if QUICK else 3, 300 if QUICK else 1000)),
            ("start-up", lambda: fig_startup(5 if QUICK else 10)),
            ("idle jobs", lambda: fig_idle(50, 1 if QUICK else 3, 10)),
            ("scale", lambda: fig_scale(100, 3 if QUICK else 10)),
            ("flood", lambda: fig_flood(1 if QUICK else 3, 200 if QUICK else 1000)),
        ]
        only = [a for a in sys.argv[1:] if not a.startswith("--")]
        for name, step in steps:
            if only and name not in only:
                continue
            log(f"[{time.monotonic() - t0:5.0f} s] {name}")
            try:
                step()
            except Exception as e:  # one broken figure must not lose the others
                log(f"  {name} failed: {e!r}")
    finally:
        cleanup()
    table()
    log(f"total {time.monotonic() - t0:.0f} s")


if __name__ == "__main__":
    main()

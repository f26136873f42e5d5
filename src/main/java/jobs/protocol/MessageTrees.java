package jobs.protocol;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every message to and from a JSON tree, written out by hand. Gson's reflective record adapter
 * reaches components and constructors through method handles, and the lambda forms it spins for
 * them are neither in the AOT cache nor cheap: about 20 ms of each client's start. The wire
 * format is the one that adapter wrote: components by name in declaration order, nulls left out,
 * enums by name; a missing field reads as null, 0 or false, as it did.
 */
final class MessageTrees {
    private MessageTrees() {}

    /** The message's fields; {@link Json} adds the type and version. */
    static JsonObject toTree(Message m) {
        JsonObject o = new JsonObject();
        if (QueueTrees.write(o, m)) return o;
        if (m instanceof Request r) request(o, r);
        else if (m instanceof Event e) event(o, e);
        else runner(o, (RunnerMessage) m);
        return o;
    }

    /** The message of the given type, or null for a type that does not exist. */
    static Message fromTree(String type, JsonObject o) {
        return switch (type) {
            case "Request.Run" -> new Request.Run(strings(o, "command"), env(o, "env"), string(o, "cwd"),
                    integer(o, "rows"), integer(o, "cols"), bool(o, "detached"), string(o, "name"), string(o, "queue"),
                    strings(o, "after"), string(o, "startAt"));
            case "Request.Continue" -> new Request.Continue(boxed(o, "id"), bool(o, "detached"),
                    bool(o, "fetchOutput"), integer(o, "rows"), integer(o, "cols"), string(o, "job"), bool(o, "steal"),
                    bool(o, "returning"));
            case "Request.Kill" -> new Request.Kill(strings(o, "jobs"), bool(o, "all"), integer(o, "signal"),
                    number(o, "timeoutMillis"));
            case "Request.Wait" -> new Request.Wait(strings(o, "jobs"), bool(o, "any"));
            case "Request.Clean" -> new Request.Clean(strings(o, "jobs"));
            case "Request.ListJobs" -> new Request.ListJobs();
            case "Request.KillServer" -> new Request.KillServer();
            case "Request.Log" -> new Request.Log(string(o, "job"), integer(o, "lines"), bool(o, "follow"));
            case "Request.Resize" -> new Request.Resize(integer(o, "rows"), integer(o, "cols"));
            case "Event.Running" -> new Event.Running(integer(o, "id"), number(o, "pid"), strings(o, "command"),
                    number(o, "droppedBytes"));
            case "Event.Background" -> new Event.Background(integer(o, "id"), number(o, "pid"), strings(o, "command"));
            case "Event.Stopped" -> new Event.Stopped(integer(o, "id"), strings(o, "command"));
            case "Event.Finished" -> new Event.Finished(integer(o, "id"), strings(o, "command"), boxed(o, "exitCode"),
                    boxed(o, "signal"), string(o, "lost"), string(o, "cancelled"));
            case "Event.JobList" -> new Event.JobList(jobs(o, "jobs"), ints(o, "notBack"), integer(o, "columns"));
            case "Event.Done" -> new Event.Done();
            case "Event.TakenOver" -> new Event.TakenOver(integer(o, "id"));
            case "Event.Results" -> new Event.Results(strings(o, "failures"));
            case "Event.Output" -> new Event.Output(string(o, "base64"));
            case "Event.Notice" -> new Event.Notice(string(o, "message"));
            case "Event.Error" -> {
                String kind = string(o, "kind");
                yield new Event.Error(kind == null ? null : Event.ErrorKind.valueOf(kind), string(o, "message"));
            }
            case "RunnerMessage.Hello" -> new RunnerMessage.Hello(integer(o, "jobId"), string(o, "token"));
            case "RunnerMessage.Warm" -> new RunnerMessage.Warm(integer(o, "runner"), string(o, "token"));
            case "RunnerMessage.Start" -> new RunnerMessage.Start(strings(o, "command"), env(o, "env"), string(o, "cwd"),
                    integer(o, "jobId"), string(o, "adoptToken"), string(o, "name"));
            case "RunnerMessage.Adopt" -> {
                String state = string(o, "state");
                yield new RunnerMessage.Adopt(integer(o, "jobId"), string(o, "token"), strings(o, "command"),
                        string(o, "name"), number(o, "pid"), state == null ? null : RunnerMessage.ReportKind.valueOf(state),
                        boxed(o, "exitCode"), boxed(o, "signal"), string(o, "startedAt"), bool(o, "attached"),
                        number(o, "pendingBytes"), integer(o, "contract"), env(o, "env"));
            }
            case "RunnerMessage.Adopted" -> new RunnerMessage.Adopted(integer(o, "jobId"));
            case "RunnerMessage.Goodbye" -> new RunnerMessage.Goodbye();
            case "RunnerMessage.Output" -> new RunnerMessage.Output(string(o, "base64"));
            case "Request.RestartServer" -> new Request.RestartServer();
            case "RunnerMessage.Resume" -> new RunnerMessage.Resume();
            case "RunnerMessage.Attached" -> new RunnerMessage.Attached(bool(o, "attached"));
            case "RunnerMessage.HandingOver" -> new RunnerMessage.HandingOver();
            case "RunnerMessage.Report" -> {
                String kind = string(o, "kind");
                yield new RunnerMessage.Report(kind == null ? null : RunnerMessage.ReportKind.valueOf(kind),
                        number(o, "pid"), boxed(o, "exitCode"), boxed(o, "signal"), boxed(o, "errno"));
            }
            default -> QueueTrees.read(type, o);
        };
    }

    private static void request(JsonObject o, Request r) {
        if (r instanceof Request.Run run) {
            put(o, "command", run.command());
            put(o, "env", run.env());
            put(o, "cwd", run.cwd());
            o.addProperty("rows", run.rows());
            o.addProperty("cols", run.cols());
            o.addProperty("detached", run.detached());
            put(o, "name", run.name());
            put(o, "queue", run.queue());
            put(o, "after", run.after());
            put(o, "startAt", run.startAt());
        } else if (r instanceof Request.Continue c) {
            put(o, "id", c.id());
            o.addProperty("detached", c.detached());
            o.addProperty("fetchOutput", c.fetchOutput());
            o.addProperty("rows", c.rows());
            o.addProperty("cols", c.cols());
            put(o, "job", c.job());
            o.addProperty("steal", c.steal());
            o.addProperty("returning", c.returning());
        } else if (r instanceof Request.Kill k) {
            put(o, "jobs", k.jobs());
            o.addProperty("all", k.all());
            o.addProperty("signal", k.signal());
            o.addProperty("timeoutMillis", k.timeoutMillis());
        } else if (r instanceof Request.Wait w) {
            put(o, "jobs", w.jobs());
            o.addProperty("any", w.any());
        } else if (r instanceof Request.Clean c) {
            put(o, "jobs", c.jobs());
        } else if (r instanceof Request.Log l) {
            put(o, "job", l.job());
            o.addProperty("lines", l.lines());
            o.addProperty("follow", l.follow());
        } else if (r instanceof Request.Resize s) {
            o.addProperty("rows", s.rows());
            o.addProperty("cols", s.cols());
        }
        // ListJobs, KillServer and RestartServer have no fields
    }

    private static void event(JsonObject o, Event e) {
        if (e instanceof Event.Running r) {
            o.addProperty("id", r.id());
            o.addProperty("pid", r.pid());
            put(o, "command", r.command());
            o.addProperty("droppedBytes", r.droppedBytes());
        } else if (e instanceof Event.Background b) {
            o.addProperty("id", b.id());
            o.addProperty("pid", b.pid());
            put(o, "command", b.command());
        } else if (e instanceof Event.Stopped s) {
            o.addProperty("id", s.id());
            put(o, "command", s.command());
        } else if (e instanceof Event.Finished f) {
            o.addProperty("id", f.id());
            put(o, "command", f.command());
            put(o, "exitCode", f.exitCode());
            put(o, "signal", f.signal());
            put(o, "lost", f.lost());
            put(o, "cancelled", f.cancelled());
        } else if (e instanceof Event.JobList l) {
            if (l.jobs() != null) {
                JsonArray a = new JsonArray();
                for (JobInfo j : l.jobs()) a.add(j == null ? JsonNull.INSTANCE : job(j));
                o.add("jobs", a);
            }
            if (l.notBack() != null && !l.notBack().isEmpty()) {
                JsonArray a = new JsonArray();
                for (Integer id : l.notBack()) a.add(id);
                o.add("notBack", a);
            }
            o.addProperty("columns", l.columns());
        } else if (e instanceof Event.Output out) {
            put(o, "base64", out.base64());
        } else if (e instanceof Event.Notice n) {
            put(o, "message", n.message());
        } else if (e instanceof Event.Error err) {
            if (err.kind() != null) o.addProperty("kind", err.kind().name());
            put(o, "message", err.message());
        } else if (e instanceof Event.TakenOver t) {
            o.addProperty("id", t.id());
        } else if (e instanceof Event.Results r) {
            put(o, "failures", r.failures());
        }
        // Done has no fields
    }

    private static void runner(JsonObject o, RunnerMessage m) {
        if (m instanceof RunnerMessage.Hello h) {
            o.addProperty("jobId", h.jobId());
            put(o, "token", h.token());
        } else if (m instanceof RunnerMessage.Warm w) {
            o.addProperty("runner", w.runner());
            put(o, "token", w.token());
        } else if (m instanceof RunnerMessage.Start s) {
            put(o, "command", s.command());
            put(o, "env", s.env());
            put(o, "cwd", s.cwd());
            o.addProperty("jobId", s.jobId());
            put(o, "adoptToken", s.adoptToken());
            put(o, "name", s.name());
        } else if (m instanceof RunnerMessage.Adopt a) {
            o.addProperty("jobId", a.jobId());
            put(o, "token", a.token());
            put(o, "command", a.command());
            put(o, "name", a.name());
            o.addProperty("pid", a.pid());
            if (a.state() != null) o.addProperty("state", a.state().name());
            put(o, "exitCode", a.exitCode());
            put(o, "signal", a.signal());
            put(o, "startedAt", a.startedAt());
            o.addProperty("attached", a.attached());
            o.addProperty("pendingBytes", a.pendingBytes());
            o.addProperty("contract", a.contract());
            put(o, "env", a.env());
        } else if (m instanceof RunnerMessage.Attached a) {
            o.addProperty("attached", a.attached());
        } else if (m instanceof RunnerMessage.Output out) {
            put(o, "base64", out.base64());
        } else if (m instanceof RunnerMessage.Adopted a) {
            o.addProperty("jobId", a.jobId());
        } else if (m instanceof RunnerMessage.Report r) {
            if (r.kind() != null) o.addProperty("kind", r.kind().name());
            o.addProperty("pid", r.pid());
            put(o, "exitCode", r.exitCode());
            put(o, "signal", r.signal());
            put(o, "errno", r.errno());
        }
        // Resume and Goodbye have no fields
    }

    private static JsonObject job(JobInfo j) {
        JsonObject o = new JsonObject();
        o.addProperty("id", j.id());
        o.addProperty("pid", j.pid());
        put(o, "command", j.command());
        if (j.state() != null) o.addProperty("state", j.state().name());
        o.addProperty("attached", j.attached());
        put(o, "exitCode", j.exitCode());
        put(o, "signal", j.signal());
        put(o, "startedAt", j.startedAt());
        put(o, "lost", j.lost());
        put(o, "name", j.name());
        put(o, "endedAt", j.endedAt());
        put(o, "log", j.log());
        put(o, "queue", j.queue());
        if (j.after() != null) {
            JsonArray a = new JsonArray();
            for (Integer id : j.after()) a.add(id);
            o.add("after", a);
        }
        put(o, "startAt", j.startAt());
        put(o, "cancelled", j.cancelled());
        return o;
    }

    private static List<JobInfo> jobs(JsonObject o, String name) {
        JsonElement e = o.get(name);
        if (e == null || e.isJsonNull()) return null;
        List<JobInfo> jobs = new ArrayList<>();
        for (JsonElement x : e.getAsJsonArray()) {
            if (x.isJsonNull()) {
                jobs.add(null);
                continue;
            }
            JsonObject j = x.getAsJsonObject();
            String state = string(j, "state");
            jobs.add(new JobInfo(integer(j, "id"), number(j, "pid"), strings(j, "command"),
                    state == null ? null : JobInfo.JobStateName.valueOf(state), bool(j, "attached"),
                    boxed(j, "exitCode"), boxed(j, "signal"), string(j, "startedAt"), string(j, "lost"),
                    string(j, "name"), string(j, "endedAt"), string(j, "log"), string(j, "queue"), ints(j, "after"),
                    string(j, "startAt"), string(j, "cancelled")));
        }
        return jobs;
    }

    static void put(JsonObject o, String name, String value) {
        if (value != null) o.addProperty(name, value);
    }

    static void put(JsonObject o, String name, Integer value) {
        if (value != null) o.addProperty(name, value);
    }

    static void put(JsonObject o, String name, List<String> values) {
        if (values == null) return;
        JsonArray a = new JsonArray();
        for (String v : values) a.add(v);
        o.add(name, a);
    }

    private static void put(JsonObject o, String name, Map<String, String> map) {
        if (map == null) return;
        JsonObject m = new JsonObject();
        for (Map.Entry<String, String> x : map.entrySet()) {
            if (x.getValue() != null) m.addProperty(x.getKey(), x.getValue());
        }
        o.add(name, m);
    }

    private static JsonElement field(JsonObject o, String name) {
        JsonElement e = o.get(name);
        return e == null || e.isJsonNull() ? null : e;
    }

    static String string(JsonObject o, String name) {
        JsonElement e = field(o, name);
        return e == null ? null : e.getAsJsonPrimitive().getAsString();
    }

    static int integer(JsonObject o, String name) {
        JsonElement e = field(o, name);
        return e == null ? 0 : e.getAsJsonPrimitive().getAsInt();
    }

    static Integer boxed(JsonObject o, String name) {
        JsonElement e = field(o, name);
        return e == null ? null : e.getAsJsonPrimitive().getAsInt();
    }

    static long number(JsonObject o, String name) {
        JsonElement e = field(o, name);
        return e == null ? 0 : e.getAsJsonPrimitive().getAsLong();
    }

    static boolean bool(JsonObject o, String name) {
        JsonElement e = field(o, name);
        return e != null && e.getAsJsonPrimitive().getAsBoolean();
    }

    static List<String> strings(JsonObject o, String name) {
        JsonElement e = field(o, name);
        if (e == null) return null;
        List<String> list = new ArrayList<>();
        for (JsonElement x : e.getAsJsonArray()) list.add(x.isJsonNull() ? null : x.getAsJsonPrimitive().getAsString());
        return list;
    }

    private static List<Integer> ints(JsonObject o, String name) {
        JsonElement e = field(o, name);
        if (e == null) return null;
        List<Integer> list = new ArrayList<>();
        for (JsonElement x : e.getAsJsonArray()) list.add(x.getAsJsonPrimitive().getAsInt());
        return list;
    }

    private static Map<String, String> env(JsonObject o, String name) {
        JsonElement e = field(o, name);
        if (e == null) return null;
        Map<String, String> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> x : e.getAsJsonObject().entrySet()) {
            map.put(x.getKey(), x.getValue().isJsonNull() ? null : x.getValue().getAsJsonPrimitive().getAsString());
        }
        return map;
    }
}

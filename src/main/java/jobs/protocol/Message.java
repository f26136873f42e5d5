package jobs.protocol;

/** Everything that travels in a frame: client requests, daemon events and the runner's talk. */
public sealed interface Message permits Request, Event, RunnerMessage {}

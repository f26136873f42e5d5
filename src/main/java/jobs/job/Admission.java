package jobs.job;

/**
 * JobState's answer to a client that asks to attach. When {@code result} is ATTACHED the caller
 * holds the attachment's write lock and owes the client Running (with {@code dropped}), then
 * {@code replay}; {@code stolen}, if not null, is the client that was let go for it, to be told
 * after the lock. {@code wasStopped}: the job was stopped before this client came.
 */
record Admission(Job.AttachResult result, byte[] replay, long dropped, boolean wasStopped, Attachment stolen) {
    static final Admission BUSY = new Admission(Job.AttachResult.BUSY, null, 0, false, null);
    static final Admission GONE = new Admission(Job.AttachResult.GONE, null, 0, false, null);
}

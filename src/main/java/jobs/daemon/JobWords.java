package jobs.daemon;

import java.util.Optional;
import jobs.job.Job;

/** The job a user's word names: {@code 3} or {@code %3}. */
final class JobWords {
    private JobWords() {}

    static Optional<Job> find(JobTable table, String word) {
        if (word == null) return Optional.empty();
        String digits = word.startsWith("%") ? word.substring(1) : word;
        if (digits.isEmpty() || digits.length() > 9 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        return table.get(Integer.parseInt(digits));
    }
}

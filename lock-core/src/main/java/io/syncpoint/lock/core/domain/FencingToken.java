package io.syncpoint.lock.core.domain;

/**
 * A number handed out with every new lease, strictly greater than every earlier token of the same
 * appointment; renewals keep it. A write that presents an older token comes from a holder whose lease
 * has ended, and is refused.
 */
public record FencingToken(long value) implements Comparable<FencingToken> {
    public FencingToken {
        if (value < 1) {
            throw new ValidationException("fencingToken", "must be at least 1");
        }
    }

    public boolean isNewerThan(FencingToken other) {
        return value > other.value;
    }

    @Override
    public int compareTo(FencingToken other) {
        return Long.compare(value, other.value);
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}

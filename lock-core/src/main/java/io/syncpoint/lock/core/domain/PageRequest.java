package io.syncpoint.lock.core.domain;

/** A window onto a list: at most {@code limit} items, skipping {@code offset}. */
public record PageRequest(int limit, long offset) {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;

    public PageRequest {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new ValidationException("limit", "must be between 1 and " + MAX_LIMIT);
        }
        if (offset < 0) {
            throw new ValidationException("offset", "must not be negative");
        }
    }

    public static PageRequest first(int limit) {
        return new PageRequest(limit, 0);
    }

    public static PageRequest standard() {
        return new PageRequest(DEFAULT_LIMIT, 0);
    }
}

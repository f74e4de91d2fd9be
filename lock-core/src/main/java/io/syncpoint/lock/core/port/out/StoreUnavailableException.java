package io.syncpoint.lock.core.port.out;

/**
 * The store cannot be reached (database down, pool exhausted). Broken infrastructure, not an
 * expected outcome: adapters answer it with "service unavailable" and nothing was changed.
 */
public class StoreUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.syncpoint.lock.core.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * Why a use case said no. These are expected outcomes, not errors: each carries a stable machine
 * {@link #code()} and a sentence for people.
 */
public sealed interface Rejection {
    String code();

    String detail();

    /** Someone else holds a live lease. */
    record LockHeld(AppointmentLock lock, Instant serverTime) implements Rejection {
        public String code() {
            return "lock_held";
        }

        public String detail() {
            return "The appointment is being edited by " + lock.holder().name() + " until " + lock.expiresAt() + ".";
        }

        public long retryAfterSeconds() {
            return lock.secondsLeftAt(serverTime);
        }
    }

    /** The caller's lease has moved on since the version they sent. */
    record VersionConflict(long currentVersion, long expectedVersion) implements Rejection {
        public String code() {
            return "version_conflict";
        }

        public String detail() {
            return "The lock is at version " + currentVersion + ", not " + expectedVersion + ".";
        }
    }

    /** The caller sent a version of a lease they no longer hold: it expired or was taken from them. */
    record LockLost() implements Rejection {
        public String code() {
            return "lock_lost";
        }

        public String detail() {
            return "Your lock has expired or was taken over; reload before editing again.";
        }
    }

    record NotLockOwner(LockHolder holder) implements Rejection {
        public String code() {
            return "not_lock_owner";
        }

        public String detail() {
            return "The lock is held by " + holder.name() + ", not by you.";
        }
    }

    record NoLock() implements Rejection {
        public String code() {
            return "no_lock";
        }

        public String detail() {
            return "The appointment is not locked.";
        }
    }

    record NotFound(String what) implements Rejection {
        public String code() {
            return "not_found";
        }

        public String detail() {
            return "No such " + what + ".";
        }
    }

    /** A write presented a fencing token other than the live lease's. */
    record StaleLockToken(Long presented) implements Rejection {
        public String code() {
            return "stale_lock_token";
        }

        public String detail() {
            return presented == null
                    ? "The lock token is missing."
                    : "Lock token " + presented + " is not the live lease's token.";
        }
    }

    /** A write came from someone who does not hold the live lease. */
    record LockRequired() implements Rejection {
        public String code() {
            return "lock_required";
        }

        public String detail() {
            return "Acquire the lock before changing the appointment.";
        }
    }

    /** A write was based on an older version of the appointment. */
    record PreconditionFailed(long currentVersion, long expectedVersion) implements Rejection {
        public String code() {
            return "precondition_failed";
        }

        public String detail() {
            return "The appointment is at version " + currentVersion + ", not " + expectedVersion + ".";
        }
    }

    record Forbidden(String reason) implements Rejection {
        public String code() {
            return "forbidden";
        }

        public String detail() {
            return reason;
        }
    }

    record EmailTaken() implements Rejection {
        public String code() {
            return "email_taken";
        }

        public String detail() {
            return "An account with this email exists already.";
        }
    }

    record InvalidCredentials() implements Rejection {
        public String code() {
            return "invalid_credentials";
        }

        public String detail() {
            return "Email or password is wrong.";
        }
    }

    /** The appointment already has as many open edit requests as it may. */
    record QueueFull(int limit) implements Rejection {
        public String code() {
            return "queue_full";
        }

        public String detail() {
            return "The appointment already has " + limit + " open edit requests; try again later.";
        }
    }

    /** The lease is offered to the head of the line: only they may take it until {@code until}. */
    record LockReserved(LockHolder reservedFor, Instant until, Instant serverTime) implements Rejection {
        public String code() {
            return "lock_reserved";
        }

        public String detail() {
            return "The appointment is offered to " + reservedFor.name() + " until " + until + ".";
        }

        /** Whole seconds until the offer lapses, rounded up, at least 1. */
        public long retryAfterSeconds() {
            long millis = Duration.between(serverTime, until).toMillis();
            return Math.max(1, (millis + 999) / 1000);
        }
    }
}

package io.syncpoint.lock.web;

import io.syncpoint.lock.core.domain.Outcome;
import io.syncpoint.lock.core.domain.Rejection;
import java.util.Map;

/** Translates the core's rejections into HTTP problems: status, title and the members SPEC.md names. */
final class Rejections {
    private Rejections() {
    }

    /** The value of an outcome, or the problem its rejection becomes. */
    static <T> T valueOf(Outcome<T> outcome) {
        if (outcome instanceof Outcome.Ok<T> ok) {
            return ok.value();
        }
        throw toProblem(((Outcome.Rejected<T>) outcome).rejection());
    }

    static ApiProblem toProblem(Rejection rejection) {
        String detail = rejection.detail();
        if (rejection instanceof Rejection.LockHeld held) {
            return new ApiProblem(409, held.code(), "Lock held", detail,
                    Map.of("lock", JsonViews.lock(held.lock())),
                    Map.of("Retry-After", Long.toString(held.retryAfterSeconds())));
        }
        if (rejection instanceof Rejection.LockReserved reserved) {
            return new ApiProblem(409, reserved.code(), "Lock reserved", detail,
                    Map.of("reservedFor", JsonViews.object("userId", reserved.reservedFor().userId().toString(),
                            "name", reserved.reservedFor().name())),
                    Map.of("Retry-After", Long.toString(reserved.retryAfterSeconds())));
        }
        if (rejection instanceof Rejection.QueueFull full) {
            return new ApiProblem(409, full.code(), "Queue full", detail, Map.of("limit", full.limit()), Map.of());
        }
        if (rejection instanceof Rejection.VersionConflict conflict) {
            return new ApiProblem(409, conflict.code(), "Version conflict", detail,
                    JsonViews.object("currentVersion", conflict.currentVersion(), "expectedVersion", conflict.expectedVersion()),
                    Map.of());
        }
        if (rejection instanceof Rejection.PreconditionFailed failed) {
            return new ApiProblem(412, failed.code(), "Precondition failed", detail,
                    JsonViews.object("currentVersion", failed.currentVersion(), "expectedVersion", failed.expectedVersion()),
                    Map.of("ETag", JsonViews.etag(failed.currentVersion())));
        }
        if (rejection instanceof Rejection.NotLockOwner notOwner) {
            return new ApiProblem(403, notOwner.code(), "Not the lock owner", detail,
                    Map.of("holder", JsonViews.userInfo(notOwner.holder())), Map.of());
        }
        if (rejection instanceof Rejection.LockLost) {
            return new ApiProblem(409, rejection.code(), "Lock lost", detail);
        }
        if (rejection instanceof Rejection.StaleLockToken) {
            return new ApiProblem(409, rejection.code(), "Stale lock token", detail);
        }
        if (rejection instanceof Rejection.LockRequired) {
            return new ApiProblem(423, rejection.code(), "Lock required", detail);
        }
        if (rejection instanceof Rejection.NoLock) {
            return new ApiProblem(404, rejection.code(), "No lock", detail);
        }
        if (rejection instanceof Rejection.NotFound) {
            return new ApiProblem(404, rejection.code(), "Not found", detail);
        }
        if (rejection instanceof Rejection.Forbidden) {
            return new ApiProblem(403, rejection.code(), "Forbidden", detail);
        }
        if (rejection instanceof Rejection.EmailTaken) {
            return new ApiProblem(409, rejection.code(), "Email taken", detail);
        }
        if (rejection instanceof Rejection.InvalidCredentials) {
            return new ApiProblem(401, rejection.code(), "Invalid credentials", detail);
        }
        throw new IllegalStateException("no HTTP mapping for rejection " + rejection.code());
    }
}

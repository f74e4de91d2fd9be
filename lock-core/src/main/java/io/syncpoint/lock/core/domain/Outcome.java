package io.syncpoint.lock.core.domain;

import java.util.function.Function;

/** What a use case returns: the value it produced, or the {@link Rejection} that explains why not. */
public sealed interface Outcome<T> {

    record Ok<T>(T value) implements Outcome<T> {
    }

    record Rejected<T>(Rejection rejection) implements Outcome<T> {
    }

    static <T> Outcome<T> ok(T value) {
        return new Ok<>(value);
    }

    static <T> Outcome<T> rejected(Rejection rejection) {
        return new Rejected<>(rejection);
    }

    default boolean isOk() {
        return this instanceof Ok;
    }

    /** The value; calling this on a rejection is a bug in the caller. */
    default T orElseThrow() {
        if (this instanceof Ok<T> ok) {
            return ok.value();
        }
        throw new IllegalStateException("rejected: " + ((Rejected<T>) this).rejection());
    }

    /** The rejection; calling this on a success is a bug in the caller. */
    default Rejection rejectionOrThrow() {
        if (this instanceof Rejected<T> rejected) {
            return rejected.rejection();
        }
        throw new IllegalStateException("not rejected: " + this);
    }

    default <U> Outcome<U> map(Function<? super T, ? extends U> mapper) {
        if (this instanceof Ok<T> ok) {
            return new Ok<>(mapper.apply(ok.value()));
        }
        return new Rejected<>(((Rejected<T>) this).rejection());
    }
}

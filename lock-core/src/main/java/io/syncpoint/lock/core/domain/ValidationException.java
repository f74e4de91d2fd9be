package io.syncpoint.lock.core.domain;

/**
 * Input that can never become a valid command or value. Thrown by constructors, so an invalid
 * command cannot exist; adapters turn it into their "validation failed" answer naming {@link #field()}.
 */
public final class ValidationException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String field;

    public ValidationException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }

    /** The message without the field prefix. */
    public String reason() {
        return getMessage().substring(field.length() + 2);
    }
}

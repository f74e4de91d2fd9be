package io.syncpoint.lock.core.domain;

import java.time.Instant;
import java.util.regex.Pattern;

/** Small argument checks shared by the value objects and commands; each failure names its field. */
public final class Check {
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+$");
    /** The earliest and latest instants every store keeps and prints as RFC 3339 (years 1900–9999, in UTC). */
    public static final Instant EARLIEST = Instant.parse("1900-01-01T00:00:00Z");
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    private Check() {
    }

    public static <T> T present(String field, T value) {
        if (value == null) {
            throw new ValidationException(field, "is required");
        }
        return value;
    }

    /** One line of text: no control characters at all. */
    public static String text(String field, String value, int minLength, int maxLength) {
        present(field, value);
        String trimmed = value.strip();
        if (trimmed.length() < minLength) {
            throw new ValidationException(field, minLength <= 1 ? "must not be blank" : "must have at least " + minLength + " characters");
        }
        if (trimmed.length() > maxLength) {
            throw new ValidationException(field, "must have at most " + maxLength + " characters");
        }
        return printable(field, trimmed, false);
    }

    /** One line of text or nothing: no control characters at all; blank counts as nothing. */
    public static String optionalText(String field, String value, int maxLength) {
        return optional(field, value, maxLength, false);
    }

    /** Text of several lines or nothing: tabs and line breaks are kept, other control characters refused. */
    public static String optionalMultilineText(String field, String value, int maxLength) {
        return optional(field, value, maxLength, true);
    }

    public static String email(String field, String value) {
        String email = text(field, value, 3, 254).toLowerCase(java.util.Locale.ROOT);
        if (!EMAIL.matcher(email).matches()) {
            throw new ValidationException(field, "is not an email address");
        }
        return email;
    }

    public static long positive(String field, long value) {
        if (value < 1) {
            throw new ValidationException(field, "must be at least 1");
        }
        return value;
    }

    /** An instant every store keeps: between the years 1900 and 9999 once in UTC. */
    public static Instant storable(String field, Instant value) {
        present(field, value);
        if (value.isBefore(EARLIEST) || value.isAfter(LATEST)) {
            throw new ValidationException(field, "must lie between the years 1900 and 9999 (in UTC)");
        }
        return value;
    }

    private static String optional(String field, String value, int maxLength, boolean multiline) {
        if (value == null) {
            return null;
        }
        String trimmed = value.strip();
        if (trimmed.length() > maxLength) {
            throw new ValidationException(field, "must have at most " + maxLength + " characters");
        }
        return trimmed.isEmpty() ? null : printable(field, trimmed, multiline);
    }

    /**
     * Refuses control characters (NUL among them, which PostgreSQL cannot store) and halves of
     * surrogate pairs, so every store accepts what the core accepts.
     */
    private static String printable(String field, String value, boolean multiline) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) && !(multiline && (c == '\t' || c == '\n' || c == '\r'))) {
                throw new ValidationException(field, multiline
                        ? "must not contain control characters other than tabs and line breaks"
                        : "must not contain control characters");
            }
            if (Character.isSurrogate(c)) {
                boolean paired = Character.isHighSurrogate(c) && i + 1 < value.length()
                        && Character.isLowSurrogate(value.charAt(i + 1));
                if (!paired) {
                    throw new ValidationException(field, "must not contain unpaired surrogate characters");
                }
                i++;
            }
        }
        return value;
    }
}

package io.syncpoint.lock.core.domain;

import java.util.regex.Pattern;

/** Small argument checks shared by the value objects and commands; each failure names its field. */
public final class Check {
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+$");

    private Check() {
    }

    public static <T> T present(String field, T value) {
        if (value == null) {
            throw new ValidationException(field, "is required");
        }
        return value;
    }

    public static String text(String field, String value, int minLength, int maxLength) {
        present(field, value);
        String trimmed = value.strip();
        if (trimmed.length() < minLength) {
            throw new ValidationException(field, minLength <= 1 ? "must not be blank" : "must have at least " + minLength + " characters");
        }
        if (trimmed.length() > maxLength) {
            throw new ValidationException(field, "must have at most " + maxLength + " characters");
        }
        return trimmed;
    }

    public static String optionalText(String field, String value, int maxLength) {
        if (value == null) {
            return null;
        }
        String trimmed = value.strip();
        if (trimmed.length() > maxLength) {
            throw new ValidationException(field, "must have at most " + maxLength + " characters");
        }
        return trimmed.isEmpty() ? null : trimmed;
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
}

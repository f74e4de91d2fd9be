package io.syncpoint.lock.app;

/** A configuration value the server cannot start with; the message names the variable. */
public final class ConfigurationException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String variable;

    public ConfigurationException(String variable, String problem) {
        super(variable + " " + problem);
        this.variable = variable;
    }

    public String variable() {
        return variable;
    }
}

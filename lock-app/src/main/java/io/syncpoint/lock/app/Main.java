package io.syncpoint.lock.app;

/** Starts the server from environment variables; stops it gracefully on SIGTERM. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Configuration config;
        try {
            config = Configuration.fromEnvironment(System.getenv());
        } catch (ConfigurationException e) {
            System.err.println("Configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        Application application;
        try {
            application = Application.start(config);
        } catch (ConfigurationException e) {
            System.err.println("Configuration error: " + e.getMessage());
            System.exit(2);
            return;
        } catch (RuntimeException e) {
            System.err.println("SyncPoint could not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(application::close, "shutdown"));
    }
}

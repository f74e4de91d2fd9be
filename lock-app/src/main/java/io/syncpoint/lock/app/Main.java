package io.syncpoint.lock.app;

import java.util.Properties;

/** Starts the server from environment variables; stops it gracefully on SIGTERM. */
public final class Main {
    static final String REFERENCES_PER_CACHE_LINE = "org.eclipse.jetty.util.referencesPerCacheLine";
    private static final String CACHE_LINE_BYTES = "org.eclipse.jetty.util.cacheLineBytes";
    /** Below this maximum heap the JVM compresses object references to 4 bytes unless told not to. */
    private static final long COMPRESSED_REFERENCES_BELOW = 32L << 30;

    private Main() {
    }

    public static void main(String[] args) {
        tellJettyTheReferenceSize(System.getProperties(), Runtime.getRuntime().maxMemory());
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

    /**
     * Jetty pads its thread pool's queue to the cache line. Unless told how many object references fit
     * in one, it asks the JVM through JMX when the first pool is made, which builds the platform MBean
     * server and registers every platform MBean: about a tenth of a second of a start, for one number.
     * References take 4 bytes with compressed references (every heap below 32 GB by default), else 8. A
     * value given on the command line stays; a wrong guess would only change the queue's padding.
     */
    static void tellJettyTheReferenceSize(Properties properties, long maxHeapBytes) {
        if (properties.getProperty(REFERENCES_PER_CACHE_LINE) != null) {
            return;
        }
        int cacheLineBytes;
        try {
            cacheLineBytes = Integer.parseInt(properties.getProperty(CACHE_LINE_BYTES, "64"));
        } catch (NumberFormatException e) {
            return;
        }
        int referenceBytes = maxHeapBytes < COMPRESSED_REFERENCES_BELOW ? 4 : 8;
        if (cacheLineBytes >= referenceBytes) {
            properties.setProperty(REFERENCES_PER_CACHE_LINE, Integer.toString(cacheLineBytes / referenceBytes));
        }
    }
}

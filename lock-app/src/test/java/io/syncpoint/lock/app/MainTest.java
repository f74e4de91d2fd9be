package io.syncpoint.lock.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class MainTest {
    private static final long MB = 1L << 20;
    private static final long GB = 1L << 30;

    @Test
    void jettyIsToldFourByteReferencesBelowThirtyTwoGigabytesOfHeapAndEightAbove() {
        Properties small = new Properties();
        Main.tellJettyTheReferenceSize(small, 256 * MB);
        Properties large = new Properties();
        Main.tellJettyTheReferenceSize(large, 64 * GB);

        assertThat(small.getProperty(Main.REFERENCES_PER_CACHE_LINE)).isEqualTo("16");
        assertThat(large.getProperty(Main.REFERENCES_PER_CACHE_LINE)).isEqualTo("8");
    }

    @Test
    void aValueGivenOnTheCommandLineStaysAndAnotherCacheLineSizeIsFollowed() {
        Properties given = new Properties();
        given.setProperty(Main.REFERENCES_PER_CACHE_LINE, "4");
        Main.tellJettyTheReferenceSize(given, 256 * MB);
        Properties wideLines = new Properties();
        wideLines.setProperty("org.eclipse.jetty.util.cacheLineBytes", "128");
        Main.tellJettyTheReferenceSize(wideLines, 256 * MB);
        Properties unreadable = new Properties();
        unreadable.setProperty("org.eclipse.jetty.util.cacheLineBytes", "wide");
        Main.tellJettyTheReferenceSize(unreadable, 256 * MB);

        assertThat(given.getProperty(Main.REFERENCES_PER_CACHE_LINE)).isEqualTo("4");
        assertThat(wideLines.getProperty(Main.REFERENCES_PER_CACHE_LINE)).isEqualTo("32");
        assertThat(unreadable.getProperty(Main.REFERENCES_PER_CACHE_LINE)).isNull();
    }
}

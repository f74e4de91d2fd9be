package io.syncpoint.lock.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The one table the benchmark prints: every figure beside its reference and its target's verdict. */
final class Table {
    record Row(String workload, String store, String throughput, String p50, String p99, String p999, String errors,
               String rss, String heap, String reference, String verdict) {
    }

    private static final String[] HEADER = {"workload", "store", "throughput", "p50", "p99", "p99.9", "errors",
        "server RSS", "heap", "reference (same run)", "target: verdict"};

    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    synchronized void add(Row row) {
        rows.add(row);
        System.out.println("[bench] " + row);
    }

    synchronized void note(String note) {
        notes.add(note);
        System.out.println("[bench] " + note);
    }

    synchronized String markdown() {
        StringBuilder text = new StringBuilder();
        text.append('|').append(String.join("|", HEADER)).append("|\n|");
        text.append("---|".repeat(HEADER.length)).append('\n');
        for (Row row : rows) {
            text.append('|').append(String.join("|", row.workload(), row.store(), row.throughput(), row.p50(), row.p99(),
                    row.p999(), row.errors(), row.rss(), row.heap(), row.reference(), row.verdict())).append("|\n");
        }
        for (String note : notes) {
            text.append("\n- ").append(note);
        }
        return text.append('\n').toString();
    }

    static String rate(double perSecond, String unit) {
        return String.format(Locale.ROOT, "%,.0f %s", perSecond, unit);
    }

    static String millis(double millis) {
        return millis < 0 ? "–" : String.format(Locale.ROOT, millis < 10 ? "%.2f ms" : "%.1f ms", millis);
    }

    static String megabytes(long bytes) {
        return bytes < 0 ? "–" : String.format(Locale.ROOT, "%,d MB", bytes / (1024 * 1024));
    }

    static String share(double share) {
        return String.format(Locale.ROOT, "%.2f %%", share * 100);
    }

    /** A ratio that must reach {@code target}: e.g. "met 0.81× ≥ 0.70× (TPS)". */
    static String atLeast(String what, double ratio, double target) {
        return String.format(Locale.ROOT, "%s %.2f× %s %.2f× %s", ratio >= target ? "met" : "missed", ratio,
                ratio >= target ? "≥" : "<", target, what);
    }

    /** A figure that must stay under {@code limit}: e.g. "missed p99 47 ms > 15 ms (3.13×)". */
    static String atMost(String what, double value, double limit, String unit) {
        if (value < 0) {
            return what + " not measured";
        }
        boolean met = value <= limit;
        return String.format(Locale.ROOT, "%s %s %.2f %s %s %.0f %s (%.2f×)", met ? "met" : "missed", what, value, unit,
                met ? "≤" : ">", limit, unit, value / limit);
    }

    static String verdicts(String... verdicts) {
        return String.join("; ", verdicts);
    }
}

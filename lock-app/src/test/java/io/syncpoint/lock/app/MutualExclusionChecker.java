package io.syncpoint.lock.app;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Checks, after the fact, what clients observed of a lock workload against what the server
 * recorded, in the spirit of Jepsen's lock workloads. Times of observations are the client's
 * monotonic send and receive instants, so an operation took effect somewhere inside its window;
 * lease times ({@code createdAt}, {@code expiresAt}, history instants) are the database's clock.
 */
final class MutualExclusionChecker {
    private MutualExclusionChecker() {
    }

    enum Kind { ACQUIRE, RENEW, READ, SAVE, RELEASE, TAKEOVER, LET_EXPIRE }

    /** A lease as a response showed it, or as a client believed it held it (release, save). */
    record Lease(String lockId, long token, Instant createdAt, Instant expiresAt, boolean newLease) {
    }

    /** An acknowledged or attempted save: the version edited, the tag added, the text written, the version made. */
    record Save(long ifMatch, String tag, String written, long savedVersion) {
    }

    /**
     * One request and its answer. {@code status} is the HTTP status, or {@link #NO_ANSWER} when none
     * came (time-out, connection lost), or 0 for a client's own decision ({@link Kind#LET_EXPIRE}).
     */
    record Observation(Kind kind, int client, String appointmentId, long sentNanos, long receivedNanos, int status,
                       String code, Lease lease, Save save) {
        static final int NO_ANSWER = -1;

        boolean acknowledged() {
            return status == 200;
        }

        /** The request may or may not have taken effect. */
        boolean indeterminate() {
            return status == NO_ANSWER || status >= 500;
        }

        String outcome() {
            if (status == 0) {
                return "decided";
            }
            if (status == NO_ANSWER) {
                return "no answer";
            }
            return code == null || code.isEmpty() ? String.valueOf(status) : status + " " + code;
        }
    }

    /** One row of the lock history, as the database keeps it. */
    record HistoryRow(long seq, String appointmentId, String lockId, String action, Instant at, long token) {
    }

    /** The appointment as it is once the workload has stopped. */
    record FinalData(long version, String description) {
    }

    record Report(Map<String, Integer> outcomes, int operations, int leases, Map<String, Long> historyRows, int saves,
                  List<String> violations) {
        String summary() {
            StringBuilder text = new StringBuilder();
            text.append(String.format("%-12s %-28s %8s%n", "operation", "outcome", "count"));
            outcomes.forEach((key, count) -> {
                String[] parts = key.split("\\|", 2);
                text.append(String.format("%-12s %-28s %8d%n", parts[0], parts[1], count));
            });
            text.append(String.format("operations %d, leases %d, history rows %s, acknowledged saves %d, violations %d%n",
                    operations, leases, historyRows, saves, violations.size()));
            violations.stream().limit(20).forEach(violation -> text.append("  VIOLATION ").append(violation).append('\n'));
            return text.toString();
        }
    }

    static Report check(List<Observation> observations, List<HistoryRow> history, Map<String, FinalData> finals) {
        Map<String, Integer> outcomes = new TreeMap<>();
        observations.forEach(o -> outcomes.merge(o.kind().name().toLowerCase().replace('_', '-') + "|" + o.outcome(),
                1, Integer::sum));
        List<String> violations = new ArrayList<>();
        Map<String, List<Observation>> byAppointment = observations.stream()
                .collect(Collectors.groupingBy(Observation::appointmentId, LinkedHashMap::new, Collectors.toList()));
        Map<String, List<HistoryRow>> rowsByAppointment = history.stream()
                .collect(Collectors.groupingBy(HistoryRow::appointmentId));
        int leases = 0;
        int saves = 0;
        for (Map.Entry<String, List<Observation>> entry : byAppointment.entrySet()) {
            String appointment = entry.getKey();
            Map<String, LeaseFacts> facts = leaseFacts(entry.getValue(), violations);
            leases += facts.size();
            checkObservedOrder(appointment, facts, violations);
            checkHistory(appointment, entry.getValue(), facts,
                    rowsByAppointment.getOrDefault(appointment, List.of()), violations);
            saves += checkSaves(appointment, entry.getValue(), finals.get(appointment), violations);
        }
        Map<String, Long> rowsByAction = history.stream()
                .collect(Collectors.groupingBy(HistoryRow::action, TreeMap::new, Collectors.counting()));
        return new Report(outcomes, observations.size(), leases, rowsByAction, saves, violations);
    }

    /** What the acknowledged operations tell of each lease. */
    private static final class LeaseFacts {
        final String lockId;
        final long token;
        long firstReceived = Long.MAX_VALUE;
        long lastSent = Long.MIN_VALUE;
        Instant promisedUntil;
        int grants;
        int releases;

        LeaseFacts(String lockId, long token) {
            this.lockId = lockId;
            this.token = token;
        }
    }

    private static Map<String, LeaseFacts> leaseFacts(List<Observation> observations, List<String> violations) {
        Map<String, LeaseFacts> facts = new HashMap<>();
        for (Observation o : observations) {
            if (!o.acknowledged() || o.lease() == null) {
                continue;
            }
            Lease lease = o.lease();
            LeaseFacts lf = facts.computeIfAbsent(lease.lockId(), id -> new LeaseFacts(id, lease.token()));
            if (lf.token != lease.token()) {
                violations.add(String.format("lease %s answered with fencing tokens %d and %d", lf.lockId, lf.token,
                        lease.token()));
            }
            lf.firstReceived = Math.min(lf.firstReceived, o.receivedNanos());
            lf.lastSent = Math.max(lf.lastSent, o.sentNanos());
            if (lease.expiresAt() != null && (lf.promisedUntil == null || lease.expiresAt().isAfter(lf.promisedUntil))) {
                lf.promisedUntil = lease.expiresAt();
            }
            if (lease.newLease()) {
                lf.grants++;
            }
            if (o.kind() == Kind.RELEASE) {
                lf.releases++;
            }
        }
        return facts;
    }

    /**
     * Leases in fencing-token order: no operation on an earlier lease may have been sent after an
     * operation on a later one was already acknowledged, and no token serves two leases.
     */
    private static void checkObservedOrder(String appointment, Map<String, LeaseFacts> facts, List<String> violations) {
        List<LeaseFacts> byToken = new ArrayList<>(facts.values());
        byToken.sort(Comparator.comparingLong(lf -> lf.token));
        LeaseFacts latestSent = null;
        LeaseFacts previous = null;
        for (LeaseFacts lease : byToken) {
            if (previous != null && previous.token == lease.token) {
                violations.add(String.format("appointment %s: fencing token %d served leases %s and %s", appointment,
                        lease.token, previous.lockId, lease.lockId));
            }
            if (latestSent != null && latestSent.lastSent > lease.firstReceived) {
                violations.add(String.format("appointment %s: lease %s (token %d) was still used after lease %s "
                                + "(token %d) had been granted", appointment, latestSent.lockId, latestSent.token,
                        lease.lockId, lease.token));
            }
            if (latestSent == null || lease.lastSent > latestSent.lastSent) {
                latestSent = lease;
            }
            previous = lease;
        }
    }

    private static void checkHistory(String appointment, List<Observation> observations,
                                     Map<String, LeaseFacts> facts, List<HistoryRow> rows, List<String> violations) {
        Map<String, List<HistoryRow>> byLock = new LinkedHashMap<>();
        rows.stream().sorted(Comparator.comparingLong(HistoryRow::seq))
                .forEach(row -> byLock.computeIfAbsent(row.lockId(), id -> new ArrayList<>()).add(row));
        // Every acknowledged transition has exactly one row.
        for (LeaseFacts lease : facts.values()) {
            List<HistoryRow> ofLease = byLock.getOrDefault(lease.lockId, List.of());
            if (lease.grants > 0 && count(ofLease, "acquired") != 1) {
                violations.add(String.format("appointment %s: acknowledged grant of lease %s has %d acquired rows",
                        appointment, lease.lockId, count(ofLease, "acquired")));
            }
            if (lease.releases > 0 && count(ofLease, "released") != 1) {
                violations.add(String.format("appointment %s: acknowledged release of lease %s has %d released rows",
                        appointment, lease.lockId, count(ofLease, "released")));
            }
        }
        // Every row has a cause.
        long grantsTried = observations.stream().filter(o -> o.kind() == Kind.ACQUIRE || o.kind() == Kind.TAKEOVER)
                .filter(o -> o.acknowledged() || o.indeterminate()).count();
        long takeoversTried = observations.stream().filter(o -> o.kind() == Kind.TAKEOVER)
                .filter(o -> o.acknowledged() || o.indeterminate()).count();
        long releasesTried = observations.stream().filter(o -> o.kind() == Kind.RELEASE)
                .filter(o -> o.acknowledged() || o.indeterminate()).count();
        long acquiredRows = rows.stream().filter(r -> r.action().equals("acquired")).count();
        long forceReleasedRows = rows.stream().filter(r -> r.action().equals("force_released")).count();
        long releasedRows = rows.stream().filter(r -> r.action().equals("released")).count();
        if (acquiredRows > grantsTried) {
            violations.add(String.format("appointment %s: %d acquired rows but only %d grants asked for", appointment,
                    acquiredRows, grantsTried));
        }
        if (forceReleasedRows > takeoversTried) {
            violations.add(String.format("appointment %s: %d force_released rows but only %d takeovers", appointment,
                    forceReleasedRows, takeoversTried));
        }
        if (releasedRows > releasesTried) {
            violations.add(String.format("appointment %s: %d released rows but only %d releases asked for",
                    appointment, releasedRows, releasesTried));
        }
        // Leases one after the other: tokens grow, each ends before the next starts, none ends early.
        HistoryRow previousEnd = null;
        long previousToken = Long.MIN_VALUE;
        int open = 0;
        for (List<HistoryRow> ofLease : byLock.values()) {
            String lockId = ofLease.get(0).lockId();
            List<HistoryRow> acquired = ofLease.stream().filter(r -> r.action().equals("acquired")).toList();
            List<HistoryRow> ends = ofLease.stream().filter(r -> !r.action().equals("acquired")).toList();
            if (acquired.size() != 1 || ends.size() > 1) {
                violations.add(String.format("appointment %s: lease %s has %d acquired and %d ending rows", appointment,
                        lockId, acquired.size(), ends.size()));
                continue;
            }
            HistoryRow start = acquired.get(0);
            if (!ofLease.get(0).equals(start)) {
                violations.add(String.format("appointment %s: lease %s ended before it was acquired", appointment, lockId));
            }
            if (start.token() <= previousToken) {
                violations.add(String.format("appointment %s: fencing token %d of lease %s follows token %d",
                        appointment, start.token(), lockId, previousToken));
            }
            previousToken = start.token();
            if (open > 0) {
                violations.add(String.format("appointment %s: lease %s acquired while an earlier lease never ended",
                        appointment, lockId));
            }
            if (previousEnd != null && previousEnd.at().isAfter(start.at())) {
                violations.add(String.format("appointment %s: lease %s acquired at %s before lease %s ended at %s",
                        appointment, lockId, start.at(), previousEnd.lockId(), previousEnd.at()));
            }
            if (ends.isEmpty()) {
                open++;
                previousEnd = null;
                continue;
            }
            HistoryRow end = ends.get(0);
            LeaseFacts seen = facts.get(lockId);
            if (end.action().equals("expired") && seen != null && seen.promisedUntil != null
                    && end.at().isBefore(seen.promisedUntil)) {
                violations.add(String.format("appointment %s: lease %s recorded as expired at %s, but its holder was "
                        + "promised it until %s", appointment, lockId, end.at(), seen.promisedUntil));
            }
            previousEnd = end;
        }
    }

    /**
     * Acknowledged saves: each edited the version the one before it made, and the final text holds
     * every acknowledged tag in version order.
     */
    private static int checkSaves(String appointment, List<Observation> observations, FinalData data,
                                  List<String> violations) {
        List<Save> saves = observations.stream().filter(o -> o.kind() == Kind.SAVE && o.acknowledged())
                .map(Observation::save).sorted(Comparator.comparingLong(Save::savedVersion)).toList();
        Save before = null;
        for (Save save : saves) {
            if (save.savedVersion() != save.ifMatch() + 1) {
                violations.add(String.format("appointment %s: a save of version %d made version %d", appointment,
                        save.ifMatch(), save.savedVersion()));
            }
            if (before != null && before.savedVersion() == save.savedVersion()) {
                violations.add(String.format("appointment %s: two acknowledged saves of version %d", appointment,
                        save.ifMatch()));
            } else if (before != null && before.savedVersion() == save.ifMatch()
                    && !save.written().equals(Descriptions.append(before.written(), save.tag()))) {
                violations.add(String.format("appointment %s: the save making version %d did not build on version %d",
                        appointment, save.savedVersion(), before.savedVersion()));
            }
            before = save;
        }
        if (saves.isEmpty()) {
            return 0;
        }
        if (data == null) {
            violations.add(String.format("appointment %s: gone after the workload", appointment));
            return saves.size();
        }
        Save last = saves.get(saves.size() - 1);
        if (data.version() < last.savedVersion()) {
            violations.add(String.format("appointment %s: final version %d is older than acknowledged version %d",
                    appointment, data.version(), last.savedVersion()));
        } else if (data.version() == last.savedVersion() && !data.description().equals(last.written())) {
            violations.add(String.format("appointment %s: the final text is not what version %d saved", appointment,
                    last.savedVersion()));
        }
        List<String> finalTags = Arrays.asList(data.description().split(" "));
        int position = -1;
        boolean trimmed = Descriptions.isFull(data.description());
        for (Save save : saves) {
            int found = finalTags.indexOf(save.tag());
            if (found < 0 && !(trimmed && position < 0)) {
                violations.add(String.format("appointment %s: acknowledged save %s (version %d) is not in the final data",
                        appointment, save.tag(), save.savedVersion()));
            } else if (found >= 0 && found <= position) {
                violations.add(String.format("appointment %s: save %s (version %d) is out of version order",
                        appointment, save.tag(), save.savedVersion()));
            }
            position = Math.max(position, found);
        }
        return saves.size();
    }

    private static long count(List<HistoryRow> rows, String action) {
        return rows.stream().filter(r -> r.action().equals(action)).count();
    }

    /** The workload's descriptions: tags separated by spaces, the oldest dropped once the text is nearly full. */
    static final class Descriptions {
        private static final int CAPACITY = 9_000;

        private Descriptions() {
        }

        static String append(String text, String tag) {
            String joined = text == null || text.isEmpty() ? tag : text + " " + tag;
            while (joined.length() > CAPACITY) {
                joined = joined.substring(joined.indexOf(' ') + 1);
            }
            return joined;
        }

        static boolean isFull(String text) {
            return text.length() > CAPACITY - 20;
        }
    }
}

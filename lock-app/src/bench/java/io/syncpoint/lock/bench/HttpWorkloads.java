package io.syncpoint.lock.bench;

import io.syncpoint.lock.bench.LoadRun.Request;
import java.util.List;

/** The HTTP workloads: what one connection does in one cycle. */
final class HttpWorkloads {
    private static final int[] OK = {200};
    private static final int[] OK_OR_HELD = {200, 409};
    private static final String EMPTY = "{}";

    private HttpWorkloads() {
    }

    /** Acquire, then release, each connection as its own user on its own appointment. */
    static LoadRun.Workload writePath(List<Api.User> users, List<String> appointments) {
        return index -> {
            String token = users.get(index).token();
            String lock = Api.BASE + "/appointments/" + appointments.get(index);
            return LoadRun.inOrder(Request.of("POST", lock + "/acquire-lock", token, EMPTY, OK),
                    Request.of("DELETE", lock + "/release-lock", token, null, OK));
        };
    }

    /** Every connection, each as its own user, tries to take one appointment; whoever gets it releases it. */
    static LoadRun.Workload contention(List<Api.User> users, String appointment) {
        String lock = Api.BASE + "/appointments/" + appointment;
        return index -> {
            String token = users.get(index).token();
            Request acquire = Request.of("POST", lock + "/acquire-lock", token, EMPTY, OK_OR_HELD);
            Request release = Request.of("DELETE", lock + "/release-lock", token, null, OK);
            return new LoadRun.Cycle() {
                private Request sent;

                @Override
                public Request next(HttpConnection.Response last) {
                    sent = last == null ? acquire : sent == acquire && last.status() == 200 ? release : null;
                    return sent;
                }
            };
        };
    }

    /** The lock status of an appointment someone else holds. */
    static LoadRun.Workload readPath(List<Api.User> users, String lockedAppointment) {
        String status = Api.BASE + "/appointments/" + lockedAppointment + "/lock-status";
        return index -> LoadRun.inOrder(Request.of("GET", status, users.get(index).token(), null, OK));
    }

    /** {@link BareJdbcServer}'s lock-status statement on one appointment. */
    static LoadRun.Workload bareStatusStatement(String appointment) {
        return index -> LoadRun.inOrder(Request.of("GET", "/status/" + appointment, null, null, OK));
    }

    /** {@link BareJdbcServer}'s least audited, notifying lock: acquire, then release, each connection on its own row. */
    static LoadRun.Workload bareLeaseStatements() {
        return index -> LoadRun.inOrder(Request.of("POST", "/lease/" + index + "/acquire", null, EMPTY, OK),
                Request.of("POST", "/lease/" + index + "/release", null, EMPTY, OK));
    }

    /**
     * {@link BareJdbcServer} sending the store's own one-round-trip acquire and release: acquire, then
     * release, each connection on its own appointment.
     */
    static LoadRun.Workload bareOwnStatements() {
        return index -> LoadRun.inOrder(Request.of("POST", "/own/" + index + "/acquire", null, EMPTY, OK),
                Request.of("POST", "/own/" + index + "/release", null, EMPTY, OK));
    }

    /** The bare Javalin route that stands beside the read path. */
    static LoadRun.Workload bareRoute() {
        return index -> LoadRun.inOrder(Request.of("GET", "/status", null, null, OK));
    }

    /** Acquire, save with If-Match and Lock-Token, release: an editor's whole round, on its own appointment. */
    static LoadRun.Workload guardedSave(List<Api.User> users, List<String> appointments) {
        return index -> {
            String token = users.get(index).token();
            String appointment = Api.BASE + "/appointments/" + appointments.get(index);
            String body = Api.appointmentBody("Saved under the lease " + index);
            Request acquire = Request.of("POST", appointment + "/acquire-lock", token, EMPTY, OK);
            Request release = Request.of("DELETE", appointment + "/release-lock", token, null, OK);
            return new LoadRun.Cycle() {
                private String version = "\"1\"";
                private Request sent;

                @Override
                public Request next(HttpConnection.Response last) {
                    if (last == null) {
                        sent = acquire;
                    } else if (sent == acquire) {
                        sent = last.status() == 200 ? Request.of("PUT", appointment, token, body, OK,
                                "If-Match", version, "Lock-Token", Long.toString(fencingToken(last.body()))) : null;
                    } else if (sent != release) {
                        if (last.etag() != null) {
                            version = last.etag();
                        }
                        sent = release;
                    } else {
                        sent = null;
                    }
                    return sent;
                }
            };
        };
    }

    private static long fencingToken(String lockJson) {
        int at = lockJson.indexOf("\"fencingToken\":");
        if (at < 0) {
            return 0;
        }
        int start = at + "\"fencingToken\":".length();
        int end = start;
        while (end < lockJson.length() && Character.isDigit(lockJson.charAt(end))) {
            end++;
        }
        return end == start ? 0 : Long.parseLong(lockJson.substring(start, end));
    }
}

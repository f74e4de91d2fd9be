package io.syncpoint.lock.bench;

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
            String acquire = Api.BASE + "/appointments/" + appointments.get(index) + "/acquire-lock";
            String release = Api.BASE + "/appointments/" + appointments.get(index) + "/release-lock";
            return caller -> {
                caller.call("POST", acquire, token, EMPTY, OK);
                caller.call("DELETE", release, token, null, OK);
            };
        };
    }

    /** Every connection, each as its own user, tries to take one appointment; whoever gets it releases it. */
    static LoadRun.Workload contention(List<Api.User> users, String appointment) {
        String acquire = Api.BASE + "/appointments/" + appointment + "/acquire-lock";
        String release = Api.BASE + "/appointments/" + appointment + "/release-lock";
        return index -> {
            String token = users.get(index).token();
            return caller -> {
                if (caller.call("POST", acquire, token, EMPTY, OK_OR_HELD).status() == 200) {
                    caller.call("DELETE", release, token, null, OK);
                }
            };
        };
    }

    /** The lock status of an appointment someone else holds. */
    static LoadRun.Workload readPath(List<Api.User> users, String lockedAppointment) {
        String status = Api.BASE + "/appointments/" + lockedAppointment + "/lock-status";
        return index -> {
            String token = users.get(index).token();
            return caller -> caller.call("GET", status, token, null, OK);
        };
    }

    /** {@link BareJdbcServer}'s lock-status statement on one appointment. */
    static LoadRun.Workload bareStatusStatement(String appointment) {
        return index -> caller -> caller.call("GET", "/status/" + appointment, null, null, OK);
    }

    /** {@link BareJdbcServer}'s least audited, notifying lock: acquire, then release, each connection on its own row. */
    static LoadRun.Workload bareLeaseStatements() {
        return index -> caller -> {
            caller.call("POST", "/lease/" + index + "/acquire", null, EMPTY, OK);
            caller.call("POST", "/lease/" + index + "/release", null, EMPTY, OK);
        };
    }

    /**
     * {@link BareJdbcServer} sending the store's own one-round-trip acquire and release: acquire, then
     * release, each connection on its own appointment.
     */
    static LoadRun.Workload bareOwnStatements() {
        return index -> caller -> {
            caller.call("POST", "/own/" + index + "/acquire", null, EMPTY, OK);
            caller.call("POST", "/own/" + index + "/release", null, EMPTY, OK);
        };
    }

    /** The bare Javalin route that stands beside the read path. */
    static LoadRun.Workload bareRoute() {
        return index -> caller -> caller.call("GET", "/status", null, null, OK);
    }

    /** Acquire, save with If-Match and Lock-Token, release: an editor's whole round, on its own appointment. */
    static LoadRun.Workload guardedSave(List<Api.User> users, List<String> appointments) {
        return index -> {
            String token = users.get(index).token();
            String appointment = Api.BASE + "/appointments/" + appointments.get(index);
            String body = Api.appointmentBody("Saved under the lease " + index);
            String[] version = {"\"1\""};
            return caller -> {
                HttpConnection.Response acquired = caller.call("POST", appointment + "/acquire-lock", token, EMPTY, OK);
                if (acquired.status() != 200) {
                    return;
                }
                HttpConnection.Response saved = caller.call("PUT", appointment, token, body, OK,
                        "If-Match", version[0], "Lock-Token", Long.toString(fencingToken(acquired.body())));
                if (saved.etag() != null) {
                    version[0] = saved.etag();
                }
                caller.call("DELETE", appointment + "/release-lock", token, null, OK);
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

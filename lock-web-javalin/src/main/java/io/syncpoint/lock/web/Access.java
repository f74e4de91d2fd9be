package io.syncpoint.lock.web;

import io.javalin.security.RouteRole;

/** Who may call a route. Every API route declares one; {@link Authentication} enforces it. */
enum Access implements RouteRole {
    /** No token needed. */
    ANYONE,
    /** Any signed-in user. */
    USER,
    /** Signed-in users whose token carries the admin role. */
    ADMIN
}

package io.syncpoint.lock.core.port.out;

import io.syncpoint.lock.core.domain.Role;
import io.syncpoint.lock.core.domain.UserAccount;
import java.util.Optional;
import java.util.UUID;

public interface UserStore {

    /** Stores a new account; false, storing nothing, when its email is taken already. */
    boolean insertUser(UserAccount user);

    Optional<UserAccount> findUserById(UUID id);

    /** Emails are compared in their normalized, lower-case form. */
    Optional<UserAccount> findUserByEmail(String email);

    /** The account with its new role, or empty when there is no such account. */
    Optional<UserAccount> updateRole(UUID id, Role role);
}

package io.syncpoint.lock.core.memory;

import io.syncpoint.lock.core.domain.Role;
import io.syncpoint.lock.core.domain.UserAccount;
import io.syncpoint.lock.core.port.out.UserStore;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Accounts in memory; the email index decides uniqueness atomically. */
public final class InMemoryUserStore implements UserStore {
    private final Map<UUID, UserAccount> byId = new ConcurrentHashMap<>();
    private final Map<String, UUID> idByEmail = new ConcurrentHashMap<>();

    @Override
    public boolean insertUser(UserAccount user) {
        if (idByEmail.putIfAbsent(user.email(), user.id()) != null) {
            return false;
        }
        byId.put(user.id(), user);
        return true;
    }

    @Override
    public Optional<UserAccount> findUserById(UUID id) {
        return Optional.ofNullable(byId.get(id));
    }

    @Override
    public Optional<UserAccount> findUserByEmail(String email) {
        UUID id = idByEmail.get(email.toLowerCase(Locale.ROOT));
        return id == null ? Optional.empty() : findUserById(id);
    }

    @Override
    public Optional<UserAccount> updateRole(UUID id, Role role) {
        return Optional.ofNullable(byId.computeIfPresent(id, (key, user) -> user.withRole(role)));
    }
}

package io.syncpoint.lock.persistence.jdbi;

import io.syncpoint.lock.core.domain.Role;
import io.syncpoint.lock.core.domain.UserAccount;
import io.syncpoint.lock.core.port.out.UserStore;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/** Accounts; the unique index on the (already lower-case) email decides who registers first. */
final class JdbiUserStore implements UserStore {
    private final Database database;

    JdbiUserStore(Database database) {
        this.database = database;
    }

    @Override
    public boolean insertUser(UserAccount user) {
        int inserted = database.withHandle(handle -> handle.createUpdate("INSERT INTO users (" + Rows.USER_COLUMNS
                        + ") VALUES (:id, :email, :name, :role, :passwordHash, :createdAt) ON CONFLICT DO NOTHING")
                .bind("id", user.id())
                .bind("email", user.email())
                .bind("name", user.name())
                .bind("role", user.role().wireName())
                .bind("passwordHash", user.passwordHash())
                .bind("createdAt", Rows.timestamp(user.createdAt()))
                .execute());
        return inserted == 1;
    }

    @Override
    public Optional<UserAccount> findUserById(UUID id) {
        return database.withHandle(handle -> handle.createQuery("SELECT " + Rows.USER_COLUMNS + " FROM users WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> Rows.user(rs))
                .findOne());
    }

    @Override
    public Optional<UserAccount> findUserByEmail(String email) {
        return database.withHandle(handle -> handle.createQuery(
                        "SELECT " + Rows.USER_COLUMNS + " FROM users WHERE email = :email")
                .bind("email", email.strip().toLowerCase(Locale.ROOT))
                .map((rs, ctx) -> Rows.user(rs))
                .findOne());
    }

    @Override
    public Optional<UserAccount> updateRole(UUID id, Role role) {
        return database.withHandle(handle -> handle.createQuery(
                        "UPDATE users SET role = :role WHERE id = :id RETURNING " + Rows.USER_COLUMNS)
                .bind("id", id)
                .bind("role", role.wireName())
                .map((rs, ctx) -> Rows.user(rs))
                .findOne());
    }
}

package io.syncpoint.lock.web;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategy;
import io.syncpoint.lock.core.port.out.PasswordHasher;
import java.nio.charset.StandardCharsets;

/**
 * bcrypt (version 2a). bcrypt reads at most 72 bytes; a longer UTF-8 password (up to 72 characters
 * can be more bytes) is first reduced with SHA-512 so that no part of it is silently ignored.
 */
public final class BcryptPasswordHasher implements PasswordHasher {
    public static final int DEFAULT_COST = 10;
    private static final int MIN_COST = 10;
    private static final BCrypt.Version VERSION = BCrypt.Version.VERSION_2A;
    private static final LongPasswordStrategy LONG_PASSWORDS = LongPasswordStrategies.hashSha512(VERSION);
    /**
     * The hash, at the default cost, of 64 random characters that were never kept. Checking a password
     * against it costs what checking against an account's hash costs, and the server does not spend a
     * bcrypt round on making one when it starts.
     */
    private static final String DEFAULT_COST_DECOY = "$2a$10$wMf6bBac97UcZ4u/JYN7i.wI/tnsNS3b/lgj.0Eh7tMPSpJvH9C5O";

    private final int cost;

    public BcryptPasswordHasher() {
        this(DEFAULT_COST);
    }

    public BcryptPasswordHasher(int cost) {
        if (cost < MIN_COST || cost > BCrypt.MAX_COST) {
            throw new IllegalArgumentException("bcrypt cost must be between " + MIN_COST + " and " + BCrypt.MAX_COST);
        }
        this.cost = cost;
    }

    @Override
    public String hash(String password) {
        byte[] hash = BCrypt.with(VERSION, LONG_PASSWORDS).hash(cost, password.getBytes(StandardCharsets.UTF_8));
        return new String(hash, StandardCharsets.UTF_8);
    }

    @Override
    public String decoyHash() {
        return cost == DEFAULT_COST ? DEFAULT_COST_DECOY : PasswordHasher.super.decoyHash();
    }

    @Override
    public boolean matches(String password, String hash) {
        try {
            return BCrypt.verifyer(VERSION, LONG_PASSWORDS)
                    .verify(password.getBytes(StandardCharsets.UTF_8), hash.getBytes(StandardCharsets.UTF_8))
                    .verified;
        } catch (IllegalArgumentException malformedHash) {
            return false;
        }
    }
}

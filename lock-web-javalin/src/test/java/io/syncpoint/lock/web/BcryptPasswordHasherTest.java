package io.syncpoint.lock.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import at.favre.lib.crypto.bcrypt.BCrypt;
import org.junit.jupiter.api.Test;

class BcryptPasswordHasherTest {
    private final BcryptPasswordHasher hasher = new BcryptPasswordHasher(10);

    @Test
    void aHashMatchesItsPasswordOnly() {
        String hash = hasher.hash("correct horse");
        assertThat(hash).startsWith("$2a$10$").doesNotContain("correct horse");
        assertThat(hasher.matches("correct horse", hash)).isTrue();
        assertThat(hasher.matches("correct horsf", hash)).isFalse();
        assertThat(hasher.hash("correct horse")).isNotEqualTo(hash);
    }

    @Test
    void passwordsLongerThan72BytesAreComparedWhole() {
        String base = "ü".repeat(40);
        String hash = hasher.hash(base + "a");
        assertThat(hasher.matches(base + "a", hash)).isTrue();
        assertThat(hasher.matches(base + "b", hash)).isFalse();
    }

    @Test
    void aMalformedHashMatchesNothing() {
        assertThat(hasher.matches("password", "not a bcrypt hash")).isFalse();
    }

    @Test
    void theDecoyIsAWellFormedHashAtTheHashersCostThatMatchesNoGuess() {
        for (int cost : new int[] {BcryptPasswordHasher.DEFAULT_COST, 11}) {
            String decoy = new BcryptPasswordHasher(cost).decoyHash();

            assertThat(decoy).startsWith("$2a$" + cost + "$");
            BCrypt.Result checked = BCrypt.verifyer().verify("password".toCharArray(), decoy);
            assertThat(checked.validFormat).as("a malformed decoy would be refused at once, which is faster").isTrue();
            assertThat(checked.verified).isFalse();
            assertThat(new BcryptPasswordHasher(cost).matches("decoy password never used", decoy)).isFalse();
        }
    }

    @Test
    void costsBelowTenAreRefused() {
        assertThatThrownBy(() -> new BcryptPasswordHasher(9)).isInstanceOf(IllegalArgumentException.class);
    }
}

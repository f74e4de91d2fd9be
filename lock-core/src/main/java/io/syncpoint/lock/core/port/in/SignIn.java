package io.syncpoint.lock.core.port.in;

import io.syncpoint.lock.core.domain.Check;
import io.syncpoint.lock.core.domain.Outcome;

/** Rejection: invalid_credentials, the same for an unknown email and a wrong password. */
public interface SignIn {
    Outcome<Session> signIn(Command command);

    record Command(String email, String password) {
        public Command {
            email = Check.text("email", email, 1, 254).toLowerCase(java.util.Locale.ROOT);
            Check.present("password", password);
        }

        @Override
        public String toString() {
            return "SignIn.Command[email=" + email + "]";
        }
    }
}

package io.syncpoint.lock.core.port.in;

import io.syncpoint.lock.core.domain.Check;
import io.syncpoint.lock.core.domain.Outcome;
import io.syncpoint.lock.core.domain.UserAccount;
import io.syncpoint.lock.core.domain.ValidationException;

/** Creates an account with role user, whatever the request says, and signs it in. Rejection: email_taken. */
public interface SignUp {
    Outcome<Session> signUp(Command command);

    record Command(String email, String name, String password) {
        public Command {
            email = Check.email("email", email);
            name = Check.text("name", name, 1, 100);
            Check.present("password", password);
            if (password.length() < UserAccount.MIN_PASSWORD_LENGTH) {
                throw new ValidationException("password", "must have at least " + UserAccount.MIN_PASSWORD_LENGTH + " characters");
            }
            if (password.length() > UserAccount.MAX_PASSWORD_LENGTH) {
                throw new ValidationException("password", "must have at most " + UserAccount.MAX_PASSWORD_LENGTH + " characters");
            }
        }

        @Override
        public String toString() {
            return "SignUp.Command[email=" + email + "]";
        }
    }
}

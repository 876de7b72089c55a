package jenkins.model;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.security.AccessControlled;
import hudson.security.Permission;
import org.springframework.security.core.Authentication;

public class Jenkins implements AccessControlled {
    public static Jenkins get() throws IllegalStateException {
        throw new UnsupportedOperationException();
    }

    public static @NonNull Authentication getAuthentication2() {
        throw new UnsupportedOperationException();
    }

    public static final Permission ADMINISTER = null;
}

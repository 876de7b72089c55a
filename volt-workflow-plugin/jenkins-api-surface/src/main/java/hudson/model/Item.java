package hudson.model;

import hudson.security.AccessControlled;
import hudson.security.Permission;

public interface Item extends AccessControlled {
    String getFullName();

    Permission CONFIGURE = null;

    Permission READ = null;

    Permission EXTENDED_READ = null;

    Permission CANCEL = null;
}

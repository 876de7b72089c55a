package io.jenkins.plugins.voltworkflow.credentials;

import com.cloudbees.plugins.credentials.CredentialsMatcher;
import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import com.cloudbees.plugins.credentials.domains.URIRequirementBuilder;
import hudson.model.Item;
import hudson.model.Queue;
import hudson.model.queue.Tasks;
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.plaincredentials.FileCredentials;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/**
 * The credentials drop-down and its validation, with the permission checks the Credentials plugin's consumer guide
 * asks for: outside a job only administrators may list credentials; inside one, users who can configure the job
 * or use its credentials. Others only see the value already selected.
 */
public final class CredentialsDropdown {

    private static final CredentialsMatcher ENGINE_CREDENTIALS = CredentialsMatchers.anyOf(
            CredentialsMatchers.instanceOf(StringCredentials.class),
            CredentialsMatchers.instanceOf(StandardUsernamePasswordCredentials.class));

    /** What git can push with: a token or username and password over HTTPS, an SSH private key in a secret file. */
    private static final CredentialsMatcher GIT_CREDENTIALS =
            CredentialsMatchers.anyOf(ENGINE_CREDENTIALS, CredentialsMatchers.instanceOf(FileCredentials.class));

    private CredentialsDropdown() {}

    public static ListBoxModel items(Item item, String url, String credentialsId) {
        return items(item, url, credentialsId, ENGINE_CREDENTIALS);
    }

    /** The credentials git may push with to {@code url}. */
    public static ListBoxModel gitItems(Item item, String url, String credentialsId) {
        return items(item, url, credentialsId, GIT_CREDENTIALS);
    }

    private static ListBoxModel items(Item item, String url, String credentialsId, CredentialsMatcher kinds) {
        StandardListBoxModel result = new StandardListBoxModel();
        if (!mayList(item)) {
            return result.includeCurrentValue(credentialsId);
        }
        return result.includeEmptyValue()
                .includeMatchingAs(
                        item instanceof Queue.Task task ? Tasks.getAuthenticationOf2(task) : ACL.SYSTEM2,
                        item,
                        StandardCredentials.class,
                        URIRequirementBuilder.fromUri(url).build(),
                        kinds)
                .includeCurrentValue(credentialsId);
    }

    public static FormValidation check(Item item, String url, String credentialsId) {
        if (!mayList(item) || credentialsId == null || credentialsId.isBlank()) {
            return FormValidation.ok();
        }
        if (credentialsId.startsWith("${")) {
            return FormValidation.warning("Resolved from a build parameter when the build runs.");
        }
        ListBoxModel matching = new StandardListBoxModel()
                .includeMatchingAs(
                        item instanceof Queue.Task task ? Tasks.getAuthenticationOf2(task) : ACL.SYSTEM2,
                        item,
                        StandardCredentials.class,
                        URIRequirementBuilder.fromUri(url).build(),
                        CredentialsMatchers.allOf(ENGINE_CREDENTIALS, CredentialsMatchers.withId(credentialsId)));
        return matching.isEmpty()
                ? FormValidation.error(
                        "No Secret text or Username with password credentials with this id are visible here.")
                : FormValidation.ok();
    }

    private static boolean mayList(Item item) {
        if (item == null) {
            return Jenkins.get().hasPermission(Jenkins.ADMINISTER);
        }
        return item.hasPermission(Item.EXTENDED_READ) || item.hasPermission(CredentialsProvider.USE_ITEM);
    }
}

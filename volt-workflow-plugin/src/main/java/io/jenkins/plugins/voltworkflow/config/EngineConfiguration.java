package io.jenkins.plugins.voltworkflow.config;

import hudson.Extension;
import hudson.Util;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.model.Item;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.voltworkflow.credentials.CredentialsDropdown;
import io.jenkins.plugins.voltworkflow.engine.EngineRole;
import io.jenkins.plugins.voltworkflow.engine.EngineSpec;
import io.jenkins.plugins.voltworkflow.engine.EngineType;
import java.io.Serializable;
import java.util.Optional;
import java.util.function.Predicate;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * One engine as configured in a form, in Configuration as Code or in a Jenkinsfile:
 * {@code voltEngine(role: 'codegen', type: 'openai', url: '...', model: '...', credentialsId: '...')}.
 * It holds the credentials' id only.
 */
public final class EngineConfiguration implements Describable<EngineConfiguration>, Serializable {

    private static final long serialVersionUID = 1L;

    private final String role;
    private final String type;
    private String url;
    private String model;
    private String credentialsId;
    private String command;

    @DataBoundConstructor
    public EngineConfiguration(String role, String type) {
        this.role = role;
        this.type = type;
    }

    public String getRole() {
        return role;
    }

    public String getType() {
        return type;
    }

    public String getUrl() {
        return url;
    }

    @DataBoundSetter
    public void setUrl(String url) {
        this.url = Util.fixEmptyAndTrim(url);
    }

    public String getModel() {
        return model;
    }

    @DataBoundSetter
    public void setModel(String model) {
        this.model = Util.fixEmptyAndTrim(model);
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
    }

    public String getCommand() {
        return command;
    }

    @DataBoundSetter
    public void setCommand(String command) {
        this.command = Util.fixEmptyAndTrim(command);
    }

    /** @throws IllegalArgumentException naming every problem of this engine */
    public EngineSpec toSpec() {
        return EngineSpec.of(role, type, url, model, credentialsId, command);
    }

    @Extension
    @Symbol("voltEngine")
    public static final class DescriptorImpl extends Descriptor<EngineConfiguration> {

        @Override
        public String getDisplayName() {
            return "Volt Workflow engine";
        }

        public ListBoxModel doFillRoleItems() {
            ListBoxModel items = new ListBoxModel();
            for (EngineRole role : EngineRole.values()) {
                items.add(role.displayName(), role.id());
            }
            return items;
        }

        public ListBoxModel doFillTypeItems() {
            ListBoxModel items = new ListBoxModel();
            for (EngineType type : EngineType.values()) {
                items.add(type.displayName(), type.id());
            }
            return items;
        }

        @POST
        public FormValidation doCheckType(
                @AncestorInPath Item item, @QueryParameter String role, @QueryParameter String value) {
            checkConfigurePermission(item);
            try {
                EngineType type = EngineType.fromId(value);
                EngineRole engineRole = EngineRole.fromId(role);
                return type.serves(engineRole)
                        ? FormValidation.ok()
                        : FormValidation.error(
                                "A " + type.displayName() + " engine cannot serve " + engineRole.displayName() + ".");
            } catch (IllegalArgumentException e) {
                return FormValidation.error(e.getMessage());
            }
        }

        @POST
        public FormValidation doCheckUrl(
                @AncestorInPath Item item, @QueryParameter String type, @QueryParameter String value) {
            checkConfigurePermission(item);
            if (!needs(type, EngineType::needsUrl)) {
                return FormValidation.ok();
            }
            Optional<String> problem = EngineSpec.urlProblem(value);
            return problem.map(FormValidation::error).orElseGet(FormValidation::ok);
        }

        @POST
        public FormValidation doCheckCommand(
                @AncestorInPath Item item, @QueryParameter String type, @QueryParameter String value) {
            checkConfigurePermission(item);
            return needs(type, EngineType::needsCommand) && (value == null || value.isBlank())
                    ? FormValidation.error("A command engine needs the command to run.")
                    : FormValidation.ok();
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(
                @AncestorInPath Item item, @QueryParameter String url, @QueryParameter String credentialsId) {
            return CredentialsDropdown.items(item, url, credentialsId);
        }

        @POST
        public FormValidation doCheckCredentialsId(
                @AncestorInPath Item item, @QueryParameter String url, @QueryParameter String value) {
            return CredentialsDropdown.check(item, url, value);
        }

        private static boolean needs(String type, Predicate<EngineType> need) {
            try {
                return need.test(EngineType.fromId(type));
            } catch (IllegalArgumentException e) {
                return false;
            }
        }

        private static void checkConfigurePermission(Item item) {
            if (item == null) {
                Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            } else {
                item.checkPermission(Item.CONFIGURE);
            }
        }
    }
}

package io.jenkins.plugins.voltworkflow.delivery;

import hudson.Extension;
import hudson.Util;
import hudson.model.AbstractDescribableImpl;
import hudson.model.Descriptor;
import hudson.model.Item;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.voltworkflow.credentials.CredentialsDropdown;
import io.voltworkflow.engines.delivery.forges.ForgeKind;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * Where a workflow's result goes: a branch pushed to a git remote and, with a forge, one pull request. The step's
 * {@code deliver: [forge: 'github', credentialsId: 'github-token']} turns delivery on; whatever it leaves out comes
 * from the global configuration's delivery defaults, then from the job's own repository (the remote it checked out
 * and the branch it builds). Every field is optional.
 */
public final class DeliveryConfiguration extends AbstractDescribableImpl<DeliveryConfiguration> {

    /** Push the branch, open no pull request. */
    public static final String PUSH_ONLY = "git";

    private String forge;
    private String repository;
    private String apiUrl;
    private String credentialsId;
    private String remote;
    private String gitCredentialsId;
    private String baseBranch;
    private String branch;
    private String labels;

    @DataBoundConstructor
    public DeliveryConfiguration() {}

    public String getForge() {
        return forge;
    }

    /** {@code github}, {@code gitlab}, {@code bitbucket}, {@code bitbucket-datacenter}, {@code gitea}, {@code forgejo} or {@code git}. */
    @DataBoundSetter
    public void setForge(String forge) {
        this.forge = Util.fixEmptyAndTrim(forge);
    }

    public String getRepository() {
        return repository;
    }

    @DataBoundSetter
    public void setRepository(String repository) {
        this.repository = Util.fixEmptyAndTrim(repository);
    }

    public String getApiUrl() {
        return apiUrl;
    }

    @DataBoundSetter
    public void setApiUrl(String apiUrl) {
        this.apiUrl = Util.fixEmptyAndTrim(apiUrl);
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
    }

    public String getRemote() {
        return remote;
    }

    @DataBoundSetter
    public void setRemote(String remote) {
        this.remote = Util.fixEmptyAndTrim(remote);
    }

    public String getGitCredentialsId() {
        return gitCredentialsId;
    }

    @DataBoundSetter
    public void setGitCredentialsId(String gitCredentialsId) {
        this.gitCredentialsId = Util.fixEmptyAndTrim(gitCredentialsId);
    }

    public String getBaseBranch() {
        return baseBranch;
    }

    @DataBoundSetter
    public void setBaseBranch(String baseBranch) {
        this.baseBranch = Util.fixEmptyAndTrim(baseBranch);
    }

    public String getBranch() {
        return branch;
    }

    @DataBoundSetter
    public void setBranch(String branch) {
        this.branch = Util.fixEmptyAndTrim(branch);
    }

    public String getLabels() {
        return labels;
    }

    /** Comma-separated label names. */
    @DataBoundSetter
    public void setLabels(String labels) {
        this.labels = Util.fixEmptyAndTrim(labels);
    }

    /** This configuration with {@code defaults}' values where it has none. */
    public DeliveryConfiguration over(DeliveryConfiguration defaults) {
        if (defaults == null) {
            return this;
        }
        DeliveryConfiguration merged = new DeliveryConfiguration();
        merged.forge = forge != null ? forge : defaults.forge;
        merged.repository = repository != null ? repository : defaults.repository;
        merged.apiUrl = apiUrl != null ? apiUrl : defaults.apiUrl;
        merged.credentialsId = credentialsId != null ? credentialsId : defaults.credentialsId;
        merged.remote = remote != null ? remote : defaults.remote;
        merged.gitCredentialsId = gitCredentialsId != null ? gitCredentialsId : defaults.gitCredentialsId;
        merged.baseBranch = baseBranch != null ? baseBranch : defaults.baseBranch;
        merged.branch = branch != null ? branch : defaults.branch;
        merged.labels = labels != null ? labels : defaults.labels;
        return merged;
    }

    @Extension
    public static final class DescriptorImpl extends Descriptor<DeliveryConfiguration> {
        @Override
        public String getDisplayName() {
            return "Delivery as a branch and pull request";
        }

        public ListBoxModel doFillForgeItems() {
            ListBoxModel items = new ListBoxModel();
            items.add("(default)", "");
            items.add("GitHub or GitHub Enterprise", "github");
            items.add("GitLab", "gitlab");
            items.add("Bitbucket Cloud", "bitbucket");
            items.add("Bitbucket Data Center", "bitbucket-datacenter");
            items.add("Gitea", "gitea");
            items.add("Forgejo", "forgejo");
            items.add("Push the branch only (no pull request)", PUSH_ONLY);
            return items;
        }

        @POST
        public FormValidation doCheckForge(@QueryParameter String value) {
            String forge = Util.fixEmptyAndTrim(value);
            if (forge == null || forge.equals(PUSH_ONLY)) {
                return FormValidation.ok();
            }
            try {
                ForgeKind.of(forge);
                return FormValidation.ok();
            } catch (IllegalArgumentException e) {
                return FormValidation.error(e.getMessage());
            }
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(
                @AncestorInPath Item item, @QueryParameter String apiUrl, @QueryParameter String credentialsId) {
            return CredentialsDropdown.items(item, apiUrl, credentialsId);
        }

        @POST
        public FormValidation doCheckCredentialsId(
                @AncestorInPath Item item, @QueryParameter String apiUrl, @QueryParameter String value) {
            return CredentialsDropdown.check(item, apiUrl, value);
        }

        @POST
        public ListBoxModel doFillGitCredentialsIdItems(
                @AncestorInPath Item item, @QueryParameter String remote, @QueryParameter String gitCredentialsId) {
            return CredentialsDropdown.gitItems(item, remote, gitCredentialsId);
        }
    }
}

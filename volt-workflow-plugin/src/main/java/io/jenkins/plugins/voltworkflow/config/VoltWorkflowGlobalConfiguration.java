package io.jenkins.plugins.voltworkflow.config;

import hudson.Extension;
import hudson.ExtensionList;
import hudson.util.FormValidation;
import io.jenkins.plugins.voltworkflow.engine.EngineSpec;
import io.jenkins.plugins.voltworkflow.limits.WorkflowLimits;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleFunction;
import java.util.function.LongFunction;
import jenkins.model.GlobalConfiguration;
import jenkins.model.Jenkins;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;

/**
 * Defaults for every workflow on this controller: the engine for each role and the limits. A step's own values
 * win. Configuration as Code: {@code unclassified: voltWorkflow: engines: [...], maxConcurrentSteps: 4, ...}.
 */
@Extension
@Symbol("voltWorkflow")
public class VoltWorkflowGlobalConfiguration extends GlobalConfiguration {

    private List<EngineConfiguration> engines = new ArrayList<>();
    private int maxConcurrentSteps = WorkflowLimits.DEFAULTS.maxConcurrentSteps();
    private int stepTimeoutMinutes = WorkflowLimits.DEFAULTS.stepTimeoutMinutes();
    private int maxRetries = WorkflowLimits.DEFAULTS.maxRetries();
    private double budgetUsd;

    public VoltWorkflowGlobalConfiguration() {
        load();
    }

    public static VoltWorkflowGlobalConfiguration get() {
        return ExtensionList.lookupSingleton(VoltWorkflowGlobalConfiguration.class);
    }

    @Override
    public boolean configure(StaplerRequest2 req, JSONObject json) throws FormException {
        // A form with no engine left sends no "engines" key at all; without this the old list would stay.
        engines = new ArrayList<>();
        return super.configure(req, json);
    }

    public List<EngineConfiguration> getEngines() {
        return engines;
    }

    @DataBoundSetter
    public void setEngines(List<EngineConfiguration> engines) {
        List<EngineConfiguration> copy = engines == null ? new ArrayList<>() : new ArrayList<>(engines);
        copy.forEach(EngineConfiguration::toSpec); // refuses an invalid engine with a message naming it
        this.engines = copy;
        save();
    }

    public int getMaxConcurrentSteps() {
        return maxConcurrentSteps;
    }

    @DataBoundSetter
    public void setMaxConcurrentSteps(int maxConcurrentSteps) {
        requireValid(WorkflowLimits.concurrencyProblem(maxConcurrentSteps));
        this.maxConcurrentSteps = maxConcurrentSteps;
        save();
    }

    public int getStepTimeoutMinutes() {
        return stepTimeoutMinutes;
    }

    @DataBoundSetter
    public void setStepTimeoutMinutes(int stepTimeoutMinutes) {
        requireValid(WorkflowLimits.stepTimeoutProblem(stepTimeoutMinutes));
        this.stepTimeoutMinutes = stepTimeoutMinutes;
        save();
    }

    public int getMaxRetries() {
        return maxRetries;
    }

    @DataBoundSetter
    public void setMaxRetries(int maxRetries) {
        requireValid(WorkflowLimits.retriesProblem(maxRetries));
        this.maxRetries = maxRetries;
        save();
    }

    /**
     * The budget as text, so that Configuration as Code exports it quoted: its YAML reader drops an unquoted
     * decimal ({@code budgetUsd: 5.0}) before any setter sees it, while {@code "5.0"} and {@code 5} arrive.
     */
    public String getBudgetUsd() {
        return BigDecimal.valueOf(budgetUsd).stripTrailingZeros().toPlainString();
    }

    /** @param budgetUsd US dollars, e.g. {@code "2.50"}; empty for no budget */
    @DataBoundSetter
    public void setBudgetUsd(String budgetUsd) {
        String text = budgetUsd == null ? "" : budgetUsd.trim();
        double amount;
        try {
            amount = text.isEmpty() ? 0 : Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("budgetUsd: not an amount of US dollars: '" + text + "'");
        }
        requireValid(WorkflowLimits.budgetProblem(amount));
        this.budgetUsd = amount;
        save();
    }

    /** The default limits; steps override some of them. */
    public WorkflowLimits limits() {
        return WorkflowLimits.builder(WorkflowLimits.DEFAULTS)
                .maxConcurrentSteps(maxConcurrentSteps)
                .stepTimeoutMinutes(stepTimeoutMinutes)
                .maxRetries(maxRetries)
                .budgetUsd(budgetUsd)
                .build();
    }

    public List<EngineSpec> engineSpecs() {
        return engines.stream().map(EngineConfiguration::toSpec).toList();
    }

    @POST
    public FormValidation doCheckMaxConcurrentSteps(@QueryParameter String value) {
        return checkWholeNumber(value, WorkflowLimits::concurrencyProblem);
    }

    @POST
    public FormValidation doCheckStepTimeoutMinutes(@QueryParameter String value) {
        return checkWholeNumber(value, WorkflowLimits::stepTimeoutProblem);
    }

    @POST
    public FormValidation doCheckMaxRetries(@QueryParameter String value) {
        return checkWholeNumber(value, WorkflowLimits::retriesProblem);
    }

    @POST
    public FormValidation doCheckBudgetUsd(@QueryParameter String value) {
        return checkNumber(value, WorkflowLimits::budgetProblem);
    }

    private static FormValidation checkWholeNumber(String value, LongFunction<Optional<String>> check) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        if (value == null) {
            return FormValidation.error("Not a whole number: (empty)");
        }
        try {
            return check.apply(Long.parseLong(value.trim())).map(FormValidation::error).orElseGet(FormValidation::ok);
        } catch (NumberFormatException e) {
            return FormValidation.error("Not a whole number: " + value);
        }
    }

    private static FormValidation checkNumber(String value, DoubleFunction<Optional<String>> check) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        if (value == null) {
            return FormValidation.error("Not a number: (empty)");
        }
        double number;
        try {
            number = Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            return FormValidation.error("Not a number: " + value);
        }
        return check.apply(number).map(FormValidation::error).orElseGet(FormValidation::ok);
    }

    private static void requireValid(Optional<String> problem) {
        problem.ifPresent(message -> {
            throw new IllegalArgumentException(message);
        });
    }
}

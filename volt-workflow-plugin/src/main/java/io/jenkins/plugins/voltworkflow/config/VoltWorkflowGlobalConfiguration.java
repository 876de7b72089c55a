package io.jenkins.plugins.voltworkflow.config;

import hudson.Extension;
import hudson.ExtensionList;
import hudson.util.FormValidation;
import io.jenkins.plugins.voltworkflow.delivery.DeliveryConfiguration;
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
 * Defaults for every workflow on this controller: the engine for each role, the limits and the delivery settings. A
 * step's own values win. Configuration as Code: {@code unclassified: voltWorkflow: engines: [...], maxConcurrentSteps: 4, ...}.
 */
@Extension
@Symbol("voltWorkflow")
public class VoltWorkflowGlobalConfiguration extends GlobalConfiguration {

    private List<EngineConfiguration> engines = new ArrayList<>();
    private int maxConcurrentSteps = WorkflowLimits.DEFAULTS.maxConcurrentSteps();
    private int stepTimeoutMinutes = WorkflowLimits.DEFAULTS.stepTimeoutMinutes();
    private int maxRetries = WorkflowLimits.DEFAULTS.maxRetries();
    private double budgetUsd;
    private DeliveryConfiguration delivery;
    /** True while a submitted form is being applied (one form submission at a time: Jenkins' configure page). */
    private transient volatile boolean binding;

    public VoltWorkflowGlobalConfiguration() {
        load();
    }

    public static VoltWorkflowGlobalConfiguration get() {
        return ExtensionList.lookupSingleton(VoltWorkflowGlobalConfiguration.class);
    }

    /**
     * Applies the submitted form all or nothing: a refused value leaves the configuration as it was and comes back
     * to the form as a {@link FormException} naming its field, not as a stack trace.
     */
    @Override
    public boolean configure(StaplerRequest2 req, JSONObject json) throws FormException {
        Settings before =
                new Settings(engines, maxConcurrentSteps, stepTimeoutMinutes, maxRetries, budgetUsd, delivery);
        binding = true;
        try {
            // A form with no engine left sends no "engines" key at all; without this the old list would stay.
            engines = new ArrayList<>();
            delivery = null; // likewise an unticked delivery section
            req.bindJSON(this, json);
        } catch (RuntimeException e) {
            engines = before.engines();
            maxConcurrentSteps = before.maxConcurrentSteps();
            stepTimeoutMinutes = before.stepTimeoutMinutes();
            maxRetries = before.maxRetries();
            budgetUsd = before.budgetUsd();
            delivery = before.delivery();
            throw refused(e);
        } finally {
            binding = false;
        }
        save();
        return true;
    }

    /** The setters save for Configuration as Code; a form is saved once, after every value was accepted. */
    @Override
    public synchronized void save() {
        if (!binding) {
            super.save();
        }
    }

    private static FormException refused(RuntimeException e) {
        // Stapler may wrap what a setter threw; the setter's own exception names the field.
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidSetting invalid) {
                return new FormException(invalid.getMessage(), invalid.field);
            }
        }
        return new FormException(e.getMessage() == null ? e.toString() : e.getMessage(), e, null);
    }

    private record Settings(
            List<EngineConfiguration> engines,
            int maxConcurrentSteps,
            int stepTimeoutMinutes,
            int maxRetries,
            double budgetUsd,
            DeliveryConfiguration delivery) {}

    /** A refused value of one field: the message says what is wrong with it. */
    private static final class InvalidSetting extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final String field;

        InvalidSetting(String field, String message) {
            super(message);
            this.field = field;
        }
    }

    public List<EngineConfiguration> getEngines() {
        return engines;
    }

    @DataBoundSetter
    public void setEngines(List<EngineConfiguration> engines) {
        List<EngineConfiguration> copy = engines == null ? new ArrayList<>() : new ArrayList<>(engines);
        try {
            copy.forEach(EngineConfiguration::toSpec); // refuses an invalid engine with a message naming it
        } catch (IllegalArgumentException e) {
            throw new InvalidSetting("engines", e.getMessage());
        }
        this.engines = copy;
        save();
    }

    public int getMaxConcurrentSteps() {
        return maxConcurrentSteps;
    }

    @DataBoundSetter
    public void setMaxConcurrentSteps(int maxConcurrentSteps) {
        requireValid("maxConcurrentSteps", WorkflowLimits.concurrencyProblem(maxConcurrentSteps));
        this.maxConcurrentSteps = maxConcurrentSteps;
        save();
    }

    public int getStepTimeoutMinutes() {
        return stepTimeoutMinutes;
    }

    @DataBoundSetter
    public void setStepTimeoutMinutes(int stepTimeoutMinutes) {
        requireValid("stepTimeoutMinutes", WorkflowLimits.stepTimeoutProblem(stepTimeoutMinutes));
        this.stepTimeoutMinutes = stepTimeoutMinutes;
        save();
    }

    public int getMaxRetries() {
        return maxRetries;
    }

    @DataBoundSetter
    public void setMaxRetries(int maxRetries) {
        requireValid("maxRetries", WorkflowLimits.retriesProblem(maxRetries));
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
            throw new InvalidSetting("budgetUsd", "budgetUsd: not an amount of US dollars: '" + text + "'");
        }
        requireValid("budgetUsd", WorkflowLimits.budgetProblem(amount));
        this.budgetUsd = amount;
        save();
    }

    /**
     * Defaults for the steps that deliver ({@code deliver: [...]}): typically the forge, its API URL and the token's
     * credentials id. Setting them does not turn delivery on.
     */
    public DeliveryConfiguration getDelivery() {
        return delivery;
    }

    @DataBoundSetter
    public void setDelivery(DeliveryConfiguration delivery) {
        this.delivery = delivery;
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
            return check.apply(Long.parseLong(value.trim()))
                    .map(FormValidation::error)
                    .orElseGet(FormValidation::ok);
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

    private static void requireValid(String field, Optional<String> problem) {
        problem.ifPresent(message -> {
            throw new InvalidSetting(field, message);
        });
    }
}

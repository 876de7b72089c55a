package io.jenkins.plugins.voltworkflow.delivery;

import hudson.model.AbstractBuild;
import hudson.model.Run;
import hudson.scm.SCM;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jenkins.triggers.SCMTriggerItem;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;

/**
 * The repositories a build checked out, as remote URLs: what delivery pushes to when the step names no remote. A
 * multibranch or GitHub Branch Source job checks out its own repository ({@code checkout scm}, which Declarative
 * Pipeline does by itself), so its builds deliver there. Read through the SCM's own environment contribution
 * ({@code GIT_URL}), so no particular SCM plugin is needed here. A Pipeline whose Jenkinsfile comes from SCM
 * counts that repository too, after those it checked out.
 */
public final class JobRepository {

    private JobRepository() {}

    public static List<String> checkedOut(Run<?, ?> run) {
        List<String> remotes = new ArrayList<>();
        List<SCM> scms = new ArrayList<>();
        if (run instanceof WorkflowRun pipeline) {
            scms.addAll(pipeline.getSCMs()); // checked out by this build, in order
            if (pipeline.getParent().getDefinition() != null) {
                scms.addAll(pipeline.getParent().getDefinition().getSCMs()); // where its Jenkinsfile comes from
            }
        } else if (run instanceof AbstractBuild<?, ?> build) {
            scms.addAll(SCMTriggerItem.SCMTriggerItems.resolveMultiScmIfConfigured(
                    build.getProject().getScm()));
        }
        for (SCM scm : scms) {
            Map<String, String> environment = new HashMap<>();
            scm.buildEnvironment(run, environment);
            String url = environment.get("GIT_URL");
            if (url != null && !url.isBlank() && !remotes.contains(url)) {
                remotes.add(url);
            }
        }
        return remotes;
    }
}

package io.jenkins.plugins.voltworkflow.runtime;

import hudson.security.ACL;
import hudson.util.DaemonThreadFactory;
import hudson.util.NamingThreadFactory;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import jenkins.security.ImpersonatingExecutorService;
import jenkins.util.ContextResettingExecutorService;

/**
 * The plugin's threads for blocking work: opening a workflow (store replay), credential lookups, build saves and
 * the steps' waits. They run as SYSTEM, like {@code jenkins.util.Timer}, whose ten shared threads they keep free.
 */
public final class BlockingWork {

    private static final ExecutorService EXECUTOR = new ImpersonatingExecutorService(
            new ContextResettingExecutorService(
                    Executors.newCachedThreadPool(new NamingThreadFactory(new DaemonThreadFactory(), "Volt Workflow"))),
            ACL.SYSTEM2);

    private BlockingWork() {}

    public static ExecutorService executor() {
        return EXECUTOR;
    }
}

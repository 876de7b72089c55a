package io.jenkins.plugins.voltworkflow.action;

import io.jenkins.plugins.okhttp.api.JenkinsOkHttpClient;
import io.voltworkflow.engines.EngineFactory;

/**
 * The controller's one engine factory: the HTTP engines of every build share its connection pool. Created on first
 * use; idle pool threads end by themselves, so it needs no shutdown hook.
 */
final class SharedEngines {

    private static volatile EngineFactory factory;

    private SharedEngines() {}

    static EngineFactory get() {
        EngineFactory current = factory;
        if (current == null) {
            synchronized (SharedEngines.class) {
                current = factory;
                if (current == null) {
                    // The engines' HTTP client goes through the proxy of Manage Jenkins » System » HTTP Proxy.
                    factory = current = EngineFactory.create(client ->
                            JenkinsOkHttpClient.newClientBuilder(client).build());
                }
            }
        }
        return current;
    }
}

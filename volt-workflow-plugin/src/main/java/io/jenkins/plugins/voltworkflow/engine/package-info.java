/**
 * Engines as configured: {@link io.jenkins.plugins.voltworkflow.engine.EngineSpec} (role, type, URL and a credentials
 * id, never a secret), {@link io.jenkins.plugins.voltworkflow.engine.EngineRole} and
 * {@link io.jenkins.plugins.voltworkflow.engine.EngineType}.
 */
package io.jenkins.plugins.voltworkflow.engine;

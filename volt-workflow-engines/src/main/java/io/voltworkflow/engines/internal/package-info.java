/**
 * Internal: machinery shared by the adapters (engine probes, local jobs, processes, patches, redaction, JSON and
 * schema checks), not API; nothing here is kept compatible between versions.
 */
package io.voltworkflow.engines.internal;

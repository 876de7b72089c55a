/**
 * The engine HTTP client scenario, not API: {@link io.voltworkflow.bench.http.HttpAdapterScenario}, our adapter
 * against a bare OkHttp call.
 */
package io.voltworkflow.bench.http;

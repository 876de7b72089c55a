/** The {@code cost} scenario: process CPU and allocation per no-op step, which machine load barely moves. */
package io.voltworkflow.bench.cost;

/**
 * Public API: the Bitbucket forges, {@link io.voltworkflow.engines.delivery.bitbucket.BitbucketCloudForge} and
 * {@link io.voltworkflow.engines.delivery.bitbucket.BitbucketDataCenterForge}.
 */
@NullMarked
package io.voltworkflow.engines.delivery.bitbucket;

import org.jspecify.annotations.NullMarked;

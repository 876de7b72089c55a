/**
 * Jenkins credentials for engines: {@link io.jenkins.plugins.voltworkflow.credentials.RunCredentials} resolves a
 * credentials id for a build, {@link io.jenkins.plugins.voltworkflow.credentials.CredentialMapping} says which kind
 * each engine accepts, {@link io.jenkins.plugins.voltworkflow.credentials.EngineSecret} holds the material at the
 * point of use, {@link io.jenkins.plugins.voltworkflow.credentials.SecretMask} masks it in text and
 * {@link io.jenkins.plugins.voltworkflow.credentials.CredentialsDropdown} fills the forms.
 */
package io.jenkins.plugins.voltworkflow.credentials;

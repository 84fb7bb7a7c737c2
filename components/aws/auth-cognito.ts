// An Auth's Cognito mode on AWS: a Cognito user pool, its federated identity providers, one app
// client for the site (a public client: authorization code grant, no client secret; Cognito
// requires PKCE of such clients' code flow when the request carries a code_challenge, and the
// site sends one) and the hosted UI on a Cognito domain. APIs trust the pool's tokens: issuer
// `https://cognito-idp.<region>.amazonaws.com/<poolId>`, audience the app client's id (an HTTP
// API's JWT authorizer checks `aud` of ID tokens and `client_id` of access tokens against it).
//
// Facts (Amazon Cognito Developer Guide and API Reference, @pulumi/aws 7.48 cognito.*):
// - Hosted UI domains: `https://<prefix>.auth.<region>.amazoncognito.com`; a prefix is lowercase
//   letters, digits and hyphens, without `aws`, `amazon` or `cognito` (checked in ../auth.ts).
// - CreateIdentityProvider ProviderDetails: Google, Facebook, LoginWithAmazon take `client_id`,
//   `client_secret`, `authorize_scopes`; OIDC also `oidc_issuer` and `attributes_request_method`.
//   A social provider's ProviderName is its type. SignInWithApple (a private key, not a client
//   secret) and SAML are not offered here.
// - App client token validity: access and ID tokens 5 minutes to 1 day, refresh tokens 60 minutes
//   to 10 years (the units are set explicitly below).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { target } from "../config";
import type { AuthCognitoRealisation, AuthCognitoSpec } from "../provider";

/** What the app client may ask for. */
export const COGNITO_SCOPES = ["email", "openid", "profile"];

export function awsAuthCognito(parent: pulumi.Resource, spec: AuthCognitoSpec): AuthCognitoRealisation {
    const region = target().region;
    const pool = new aws.cognito.UserPool(`${spec.name}-pool`, {
        // Users sign in with their email address, verified by Cognito.
        usernameAttributes: ["email"],
        autoVerifiedAttributes: ["email"],
        usernameConfiguration: { caseSensitive: false },
        accountRecoverySetting: { recoveryMechanisms: [{ name: "verified_email", priority: 1 }] },
        passwordPolicy: {
            minimumLength: 12,
            requireLowercase: true,
            requireUppercase: true,
            requireNumbers: true,
            requireSymbols: false,
            temporaryPasswordValidityDays: 3,
        },
        // Federated sign-in only when identity providers are given: nobody signs up with a password then.
        adminCreateUserConfig: { allowAdminCreateUserOnly: spec.identityProviders.length > 0 },
        deletionProtection: spec.protect ? "ACTIVE" : "INACTIVE",
    }, { parent, protect: spec.protect, retainOnDelete: spec.protect });

    const providers = spec.identityProviders.map((p) => new aws.cognito.IdentityProvider(`${spec.name}-idp-${p.providerName.toLowerCase()}`, {
        userPoolId: pool.id,
        providerName: p.providerName,
        providerType: p.type,
        providerDetails: pulumi.secret(pulumi.all([p.clientId, p.clientSecret, p.issuer]).apply(([clientId, clientSecret, issuer]) => ({
            client_id: clientId,
            client_secret: clientSecret,
            authorize_scopes: p.scopes.join(p.type === "Facebook" ? "," : " "),
            ...(p.type === "OIDC" ? { oidc_issuer: issuer ?? "", attributes_request_method: "GET" } : {}),
        }))),
        attributeMapping: p.type === "Facebook" || p.type === "LoginWithAmazon"
            ? { email: "email", name: "name", username: p.type === "Facebook" ? "id" : "user_id" }
            : { email: "email", email_verified: "email_verified", name: "name", username: "sub" },
    }, { parent }));

    const client = new aws.cognito.UserPoolClient(`${spec.name}-client`, {
        userPoolId: pool.id,
        generateSecret: false, // a single-page app cannot keep one
        allowedOauthFlowsUserPoolClient: true,
        allowedOauthFlows: ["code"],
        allowedOauthScopes: COGNITO_SCOPES,
        callbackUrls: spec.callbackUrls,
        logoutUrls: spec.logoutUrls,
        supportedIdentityProviders: spec.identityProviders.length > 0 ? spec.identityProviders.map((p) => p.providerName) : ["COGNITO"],
        explicitAuthFlows: ["ALLOW_REFRESH_TOKEN_AUTH"],
        preventUserExistenceErrors: "ENABLED",
        enableTokenRevocation: true,
        accessTokenValidity: spec.accessTokenSeconds,
        idTokenValidity: spec.accessTokenSeconds,
        refreshTokenValidity: spec.refreshTokenDays,
        tokenValidityUnits: { accessToken: "seconds", idToken: "seconds", refreshToken: "days" },
    }, { parent, dependsOn: providers }); // a client names only providers that exist

    const domain = new aws.cognito.UserPoolDomain(`${spec.name}-domain`, {
        domain: spec.domainPrefix,
        userPoolId: pool.id,
    }, { parent });

    return {
        issuer: pulumi.interpolate`https://cognito-idp.${region}.amazonaws.com/${pool.id}`,
        userPoolId: pool.id,
        clientId: client.id,
        hostedUiUrl: pulumi.interpolate`https://${domain.domain}.auth.${region}.amazoncognito.com`,
    };
}

// The typical application, composed from the components. `pulumi up` deploys it to the stack's
// cloud; `npm start` runs it on this machine; `npm run plan` shows what either would create.
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { Alarms, AsyncTask, Auth, BusinessApi, closure, EventHub, FileUpload, Function, Mailer, PaymentWorkflow, Realtime, StaticSite, Table } from "serverless-blocks/components";
import { http } from "serverless-blocks/functions/runtime";

/** Who users sign in with: `serverless-blocks:signIn` ({ issuer, clientId }) and, if the provider needs one, `signInClientSecret`. */
interface SignIn {
    issuer?: string;
    clientId: string;
}

export function app() {
    const config = new pulumi.Config("serverless-blocks");
    const localUrl = config.get("localUrl") ?? "http://127.0.0.1:3000";

    const corsOrigins = config.getObject<string[]>("corsOrigins") ?? ["http://127.0.0.1:3000", "http://localhost:3000"];

    // Whoever is on call hears of dead letters (locally they are printed by npm start).
    const alarms = new Alarms("ops", {
        email: config.get("alarmEmail"),
        webhookUrl: config.getSecret("alarmWebhook"),
        tencentUserIds: config.getObject<number[]>("alarmUserIds"),
    });

    // Services talk through the hub: a new user is an event, and what follows subscribes to it.
    const hub = new EventHub("events", { archiveRetentionDays: config.getNumber("eventArchiveDays") ?? 30 });
    const mail = new Mailer("mail", {
        from: config.get("mailFrom") ?? "hello@example.com",
        templateIds: config.getObject<Record<string, number>>("mailTemplateIds") ?? {},
    });

    // Sign-in with the stack's OpenID provider (npm start runs a local one); our own tokens after it.
    const signIn = config.requireObject<SignIn>("signIn");
    const auth = new Auth("auth", {
        providers: {
            main: {
                issuer: signIn.issuer ?? `${localUrl}/_local/oidc`,
                clientId: signIn.clientId,
                clientSecret: config.getSecret("signInClientSecret"),
            },
        },
        signedInUrl: config.get("siteUrl") ?? `${localUrl}/`,
        events: hub.link,
        alarms: alarms.target,
    });

    // Orders are the caller's own: every route but /hello needs an access token from Auth.
    // OrderPlaced is written with its order (the table's outbox): published if and only if the order was.
    const orders = new Table("orders", { partitionKey: "userId", sortKey: "orderId", outbox: hub.link, alarms: alarms.target });

    // Pages stay live: the back end pushes each order's status to its owner's open connections.
    // The token as a subprotocol: kept out of URLs and logs, and what Tencent's register event carries.
    const live = new Realtime("live", { jwt: auth.jwt, tokenFrom: "protocol", alarms: alarms.target });

    // Paying runs a workflow: request the payment, wait for the service's signed callback (or time
    // out), then notify once: the order takes the outcome and its owner sees it live.
    const checkout = new PaymentWorkflow("checkout", {
        request: {
            handler: "functions/checkout/request-payment.handler",
            environment: { PAYMENT_SERVICE_URL: config.get("paymentServiceUrl") ?? `${localUrl}/_local/payment-service` },
        },
        notify: { handler: "functions/orders/payment-notice.handler", link: [orders.link, live.link] },
        callbackSecret: paymentCallbackSecret(config),
        waitSeconds: config.getNumber("paymentWaitSeconds") ?? 2,
        maxRounds: 30,
        alarms: alarms.target,
    });

    const api = new BusinessApi("shop", {
        routes: {
            "POST /orders": { handler: "functions/orders/create.handler", link: [orders.link, hub.link] },
            "GET /orders": { handler: "functions/orders/list.handler", link: [orders.readLink] },
            "GET /orders/{orderId}": { handler: "functions/orders/get.handler", link: [orders.readLink] },
            "POST /orders/{orderId}/pay": { handler: "functions/orders/pay.handler", link: [orders.link, checkout.link] },
            "GET /hello": { handler: "functions/hello/greet.handler", public: true },
        },
        jwt: auth.jwt,
        cors: { allowOrigins: corsOrigins },
        alarms: alarms.target,
    });

    new AsyncTask("confirm-order", {
        handler: "functions/orders/confirm.handler",
        subscribe: { hub: hub.link, pattern: JSON.stringify({ "detail-type": ["OrderPlaced"] }) },
        link: [orders.link, live.link],
        alarms: alarms.target,
        description: "Confirms each new order and pushes its status to the owner",
    });

    // Files go from the browser straight to a private bucket; each one is then checked, hashed,
    // recorded for its owner, and announced over Realtime.
    const files = new Table("files", { partitionKey: "userId", sortKey: "key" });
    const attachments = new FileUpload("attachments", {
        jwt: auth.jwt,
        allowedTypes: ["image/png", "image/jpeg", "application/pdf", "text/plain"],
        maxBytes: 5 * 1024 * 1024,
        allowOrigins: corsOrigins,
        onUploaded: { handler: "functions/attachments/processed.handler", link: [files.link, live.link] },
        alarms: alarms.target,
    });

    const welcome = new AsyncTask("send-welcome-email", {
        handler: "functions/users/welcome-email.handler",
        subscribe: { hub: hub.link, pattern: JSON.stringify({ "detail-type": ["UserSignedUp"] }) },
        link: [mail.link],
        retries: 2,
        alarms: alarms.target,
        description: "Sends the welcome email to each new user",
    });

    // An inline handler: code that lives beside the infrastructure it belongs to.
    const about = new Function("about", {
        code: closure(http(async () => ({ service: "serverless-blocks", hub: process.env.SB_HUB_EVENTS_NAME }))),
        link: [hub.link],
        alarms: alarms.target,
        description: "Describes the service",
    });

    // The browser reads where the APIs are from /config.json: one build serves every stack.
    const site = new StaticSite("web", {
        path: "web",
        config: { apiUrl: api.url, authUrl: auth.url, realtimeUrl: live.url, uploadUrl: attachments.url, uploadOrigin: attachments.uploadOrigin },
        // Required on Tencent Cloud, whose CDN serves only a domain of yours.
        domain: config.get("siteDomain"),
        certificateId: config.get("siteCertificateId"),
    });

    return {
        siteUrl: site.url,
        apiUrl: api.url,
        realtimeUrl: live.url,
        uploadUrl: attachments.url,
        uploadDeadLetters: attachments.deadLetterQueue,
        paymentCallbackUrl: checkout.callbackUrl,
        authIssuer: auth.issuer,
        hub: hub.busName,
        ordersTable: orders.tableName,
        welcomeEmailDeadLetters: welcome.deadLetterQueue,
        aboutFunction: about.functionName,
    };
}

/**
 * The key the payment service signs its callbacks with: `serverless-blocks:paymentCallbackSecret`
 * when the stack sets it (the local stack does, for its fake service), else one generated at
 * deploy and kept in the stack's state (`pulumi stack output --show-secrets` reads it, to give
 * the payment service).
 */
function paymentCallbackSecret(config: pulumi.Config): pulumi.Output<string> {
    return config.getSecret("paymentCallbackSecret") ?? new random.RandomPassword("payment-callback-secret", { length: 48, special: false }).result;
}

// Mailer on AWS: the sender's domain as an SES v2 identity; senders may use exactly that identity.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { linkVariable } from "../link";
import type { MailerRealisation, MailerSpec } from "../provider";

export function awsMailer(parent: pulumi.Resource, spec: MailerSpec): MailerRealisation {
    const domain = spec.from.split("@")[1];
    const identity = new aws.sesv2.EmailIdentity(`${spec.name}-identity`, { emailIdentity: domain }, { parent });
    return {
        link: {
            type: "mailer",
            name: spec.name,
            environment: { [linkVariable("mailer", spec.name, "from")]: spec.from },
            // SES v2 SendEmail is authorised on the identity the From address belongs to.
            permissions: [{ actions: ["ses:SendEmail"], resources: [identity.arn] }],
        },
    };
}

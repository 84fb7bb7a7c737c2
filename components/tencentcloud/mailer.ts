// Mailer on Tencent Cloud: SES needs the sender domain verified in its console (this provider
// version has no SES resource). SendEmail is an operation-level CAM action: it can only be
// granted on all resources (tencentcloud.com/document/product/598/57150).
import * as pulumi from "@pulumi/pulumi";
import { target } from "../config";
import { linkVariable } from "../link";
import type { MailerRealisation, MailerSpec } from "../provider";

export function tencentMailer(_parent: pulumi.Resource, spec: MailerSpec): MailerRealisation {
    return {
        link: {
            type: "mailer",
            name: spec.name,
            environment: {
                [linkVariable("mailer", spec.name, "from")]: spec.from,
                [linkVariable("mailer", spec.name, "region")]: target().region,
                [linkVariable("mailer", spec.name, "templates")]: JSON.stringify(spec.templateIds),
            },
            permissions: [{ actions: ["ses:SendEmail"], resources: ["*"] }],
        },
    };
}

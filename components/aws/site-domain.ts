// A StaticSite's custom domain on AWS: the TLS certificate CloudFront serves it with (ACM, which
// CloudFront reads only in us-east-1, whatever the stack's region), validated through DNS, and
// the DNS records pointing the domain at the distribution.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { DnsRecord } from "../static-site";

/** CloudFront takes viewer certificates from ACM in US East (N. Virginia) only. */
export const CLOUDFRONT_CERTIFICATE_REGION = "us-east-1";

export interface SiteCertificate {
    /** The validated certificate's ARN. */
    arn: pulumi.Output<string>;
    /** Validation records to create by hand (none when the hosted zone is managed here, or the certificate given). */
    dnsRecords: pulumi.Output<DnsRecord[]>;
}

/** The given certificate, or a new DNS-validated one in us-east-1 (automatically when the zone is given). */
export function siteCertificate(parent: pulumi.Resource, site: string, domain: string, hostedZoneId?: string, certificateId?: string): SiteCertificate {
    if (certificateId) return { arn: pulumi.output(certificateId), dnsRecords: pulumi.output([]) };
    const opts = { parent };
    const certificate = new aws.acm.Certificate(`${site}-certificate`, {
        domainName: domain,
        validationMethod: "DNS",
        region: CLOUDFRONT_CERTIFICATE_REGION,
    }, opts);
    const option = certificate.domainValidationOptions.apply((options) => {
        const found = options.find((o) => o.domainName === domain);
        if (!found) throw new Error(`StaticSite '${site}': ACM reported no DNS validation record for ${domain}`);
        return found;
    });
    if (!hostedZoneId) {
        // `pulumi up` waits here until the record exists (the output lists it), then attaches the certificate.
        const validation = new aws.acm.CertificateValidation(`${site}-certificate-validation`, {
            certificateArn: certificate.arn,
            region: CLOUDFRONT_CERTIFICATE_REGION,
        }, opts);
        return {
            arn: validation.certificateArn,
            dnsRecords: option.apply((o) => [{ name: o.resourceRecordName!, type: o.resourceRecordType!, value: o.resourceRecordValue! }]),
        };
    }
    const record = new aws.route53.Record(`${site}-certificate-validation-record`, {
        zoneId: hostedZoneId,
        name: option.apply((o) => o.resourceRecordName!),
        type: option.apply((o) => o.resourceRecordType!),
        records: [option.apply((o) => o.resourceRecordValue!)],
        ttl: 300,
        allowOverwrite: true,
    }, opts);
    const validation = new aws.acm.CertificateValidation(`${site}-certificate-validation`, {
        certificateArn: certificate.arn,
        validationRecordFqdns: [record.fqdn],
        region: CLOUDFRONT_CERTIFICATE_REGION,
    }, opts);
    return { arn: validation.certificateArn, dnsRecords: pulumi.output([]) };
}

/** A and AAAA alias records for the domain, in the given hosted zone. */
export function aliasRecords(parent: pulumi.Resource, site: string, domain: string, hostedZoneId: string, distribution: aws.cloudfront.Distribution): void {
    for (const type of ["A", "AAAA"]) {
        new aws.route53.Record(`${site}-${type.toLowerCase()}`, {
            zoneId: hostedZoneId,
            name: domain,
            type,
            aliases: [{ name: distribution.domainName, zoneId: distribution.hostedZoneId, evaluateTargetHealth: false }],
        }, { parent });
    }
}

// FileUpload on the local target: the runtime keeps the object store (`<dataDir>/uploads/<name>/`,
// local/uploads/) and takes signed PUTs on its own port at `/_local/uploads/<bucket>/<key>`; the
// processor is an AsyncTask with no subscription, its durable queue fed by the upload endpoint
// with one ObjectCreated event per stored object (retries, dead letters, redrive as any task's).
// Signing happens in the runtime too (it keeps the HMAC secret), so the links grant runtime
// calls, checked there as a cloud's policy would: the signer may presign, the processor may read
// and delete, on `local:uploads:<name>` only.
import * as pulumi from "@pulumi/pulumi";
import type { FileUploadRealisation, FileUploadSpec } from "../provider";
import { localAsyncTask } from "./async-task";
import { LocalDescriptor, type LocalUploadDescriptor } from "./descriptor";
import { localUrl } from "./settings";

export function localFileUpload(parent: pulumi.Resource, spec: FileUploadSpec): FileUploadRealisation {
    const bucket = spec.name;
    const resourceId = `local:uploads:${spec.name}`;
    const links = spec.links({
        bucket,
        region: "",
        signer: [{ actions: ["uploads.presign"], resources: [resourceId] }],
        processor: [{ actions: ["uploads.read", "uploads.delete"], resources: [resourceId] }],
    });
    const { processor } = spec;
    const task = localAsyncTask(parent, {
        name: processor.name,
        function: { ...processor.function, link: [...(processor.function.link ?? []), links.processor] },
        timeout: processor.timeout,
        retries: processor.retries,
        maxEventAgeSeconds: processor.maxEventAgeSeconds,
        alarms: processor.alarms,
        protect: spec.protect,
    });
    // Browsers PUT to the runtime itself: the site's CSP must allow its origin.
    const origin = new URL(localUrl()).origin;
    const described = task.functionName.apply((processorFunction): LocalUploadDescriptor => ({
        name: spec.name,
        bucket,
        resourceId,
        task: processor.name,
        processorFunction,
        maxBytes: spec.maxBytes,
        allowedTypes: spec.allowedTypes,
        expiresSeconds: spec.urlExpiresSeconds,
        allowOrigins: spec.allowOrigins,
        origin,
        expireAfterDays: spec.expireAfterDays ?? 0,
    }));
    new LocalDescriptor("Upload", spec.name, described, parent);
    return {
        bucketName: described.apply((d) => d.bucket),
        uploadOrigin: described.apply((d) => d.origin),
        resourceId: described.apply((d) => d.resourceId),
        deadLetterQueue: task.deadLetterQueue,
        processorName: task.functionName,
    };
}

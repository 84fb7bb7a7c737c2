// POST /uploads {name, contentType, size} -> 201 a presigned upload for the signed-in user: a
// short-lived URL (and form fields or headers) for a new key under the user's own prefix. The
// FileUpload's rules are checked first; a request that breaks one is a 400 naming it, and nothing
// is signed. SB_UPLOADS_SIGNER names the FileUpload (set by the component's signer link).
import * as z from "zod/mini";
import { http, HttpError } from "../runtime";
import { uploads } from "../runtime/clients/uploads";
import { parseBody } from "../runtime/validate";
import { UploadRuleError } from "../runtime/uploads";

const UploadRequest = z.object({
    name: z.string().check(z.minLength(1), z.maxLength(1024)),
    contentType: z.string().check(z.minLength(3), z.maxLength(255)),
    size: z.int().check(z.minimum(1)),
});

export const handler = http(async (req) => {
    const userId = req.claims?.sub;
    if (typeof userId !== "string" || userId === "") throw new HttpError(401, "sign in first: uploading needs an access token");
    const request = parseBody(req, UploadRequest);
    const name = process.env.SB_UPLOADS_SIGNER;
    if (!name) throw new Error("SB_UPLOADS_SIGNER is not set: the FileUpload's signer link names its component");
    try {
        return { status: 201, body: await uploads(name).presign(userId, request) };
    } catch (error) {
        if (error instanceof UploadRuleError) throw new HttpError(400, error.message, { code: error.code });
        throw error;
    }
});

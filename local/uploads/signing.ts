// The local upload URLs' signatures: HMAC-SHA256 over everything the URL grants (method, bucket,
// key, expiry, content type, size) with a secret only the runtime knows. The secret is made on
// first use and kept in the data directory (mode 0600), so URLs signed before a restart still work.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

/** What a signed URL allows: one PUT of exactly this. */
export interface SignedUpload {
    method: "PUT";
    bucket: string;
    key: string;
    /** Seconds since the epoch after which the URL is refused. */
    expires: number;
    contentType: string;
    size: number;
}

/** In the uploads folder, but never an object's: object folders' names never start with `.`. */
export const SECRET_FILE = ".signing-key";
/** 32 bytes in hex: the secret's form, and a signature's. */
const SECRET = /^[0-9a-f]{64}$/;

export class UploadSigner {
    private constructor(private readonly secret: Buffer) {}

    /** The signer of the runtime whose uploads folder is `root`; the secret is made there on first use. */
    static open(root: string): UploadSigner {
        return new UploadSigner(readOrMakeSecret(path.join(root, SECRET_FILE)));
    }

    /** Hex HMAC-SHA256 of the grant. */
    sign(grant: SignedUpload): string {
        // JSON of a fixed-order array: no field can run into the next (a key ending in "\n...").
        const text = JSON.stringify([grant.method, grant.bucket, grant.key, grant.expires, grant.contentType, grant.size]);
        return createHmac("sha256", this.secret).update(text).digest("hex");
    }

    /** Whether `signature` is this grant's, compared in constant time. */
    verify(grant: SignedUpload, signature: string): boolean {
        // Hex parsing stops at the first bad digit: only a well-formed signature is compared at all.
        if (typeof signature !== "string" || !SECRET.test(signature)) return false;
        return timingSafeEqual(Buffer.from(signature, "hex"), Buffer.from(this.sign(grant), "hex"));
    }
}

function readOrMakeSecret(file: string): Buffer {
    if (!fs.existsSync(file)) makeSecret(file);
    const text = fs.readFileSync(file, "utf8").trim();
    if (!SECRET.test(text)) throw new Error(`${file} is not an upload signing secret (64 hex digits); delete it to make a new one (URLs signed with the old one stop working)`);
    return Buffer.from(text, "hex");
}

/** Written whole and then linked into place: a second runtime racing on first use reads one complete secret. */
function makeSecret(file: string): void {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const temporary = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
    const fd = fs.openSync(temporary, "wx", 0o600);
    try {
        fs.writeSync(fd, `${randomBytes(32).toString("hex")}\n`);
        fs.fsyncSync(fd);
    } finally {
        fs.closeSync(fd);
    }
    fs.chmodSync(temporary, 0o600); // whatever the umask
    try {
        fs.linkSync(temporary, file);
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    } finally {
        fs.unlinkSync(temporary);
    }
}

// Signs in to the running app over HTTP as a browser would: /api/auth/login, the local OpenID
// provider's sign-in form (npm start runs it under /_local/oidc; any email signs in), the
// callback that sets the refresh cookie, then POST /api/auth/refresh for an access token.
export interface SignedIn {
    accessToken: string;
    /** The refresh cookie (`sb_refresh=...`), as the browser would send it to /api/auth. */
    refreshCookie: string;
}

/** Cookies by name for one site, as a browser keeps them (paths and expiry aside). */
class Jar {
    private readonly cookies = new Map<string, string>();

    take(headers: Headers): void {
        for (const line of headers.getSetCookie()) {
            const pair = line.split(";")[0].trim();
            const at = pair.indexOf("=");
            this.cookies.set(pair.slice(0, at), pair.slice(at + 1));
        }
    }

    get(name: string): string | undefined {
        return this.cookies.get(name);
    }

    header(): string {
        return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    }
}

export async function signIn(appUrl: string, email: string): Promise<SignedIn> {
    const jar = new Jar();
    let url = new URL(`${appUrl}/api/auth/login`);
    for (let step = 0; step < 12; step++) {
        const res = await fetch(url, { redirect: "manual", headers: { cookie: jar.header() } });
        jar.take(res.headers);
        if (res.status >= 300 && res.status < 400) {
            const next = new URL(res.headers.get("location")!, url);
            // Back at the app with the refresh cookie set: signed in.
            if (url.pathname.endsWith("/auth/callback")) break;
            url = next;
            continue;
        }
        const html = await res.text();
        const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
        if (res.status !== 200 || !action || !/name="login"/.test(html)) throw new Error(`sign-in: expected the provider's form at ${url}, got ${res.status}: ${html.slice(0, 200)}`);
        const submit = await fetch(new URL(action.replace(/&amp;/g, "&"), url), {
            method: "POST",
            redirect: "manual",
            headers: { cookie: jar.header(), "content-type": "application/x-www-form-urlencoded" },
            body: new URLSearchParams({ prompt: "login", login: email, password: "any" }),
        });
        jar.take(submit.headers);
        url = new URL(submit.headers.get("location")!, url);
    }
    const refresh = jar.get("sb_refresh");
    if (!refresh) throw new Error("sign-in: the callback set no refresh cookie");
    const refreshCookie = `sb_refresh=${refresh}`;
    const answer = await fetch(`${appUrl}/api/auth/refresh`, { method: "POST", headers: { cookie: refreshCookie, "content-type": "application/json" }, body: "{}" });
    const body = (await answer.json()) as { accessToken?: string };
    if (answer.status !== 200 || !body.accessToken) throw new Error(`sign-in: refresh answered ${answer.status}: ${JSON.stringify(body)}`);
    const rotated = answer.headers.getSetCookie().find((c) => c.startsWith("sb_refresh="))?.split(";")[0] ?? refreshCookie;
    return { accessToken: body.accessToken, refreshCookie: rotated };
}

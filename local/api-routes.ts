// The local gateway's route table: "METHOD /path/{param}" keys matched the way API Gateway HTTP
// APIs choose a route: the method must match, and among the paths that match, literal segments
// beat `{param}` segments, which beat a trailing greedy `{param+}`. A path some route serves
// under another method is a 405 (API Gateway says 404; locally the Allow header helps more).

type Segment = { kind: "literal"; text: string } | { kind: "param"; name: string } | { kind: "greedy"; name: string };

interface Entry<T> {
    method: string;
    path: string;
    segments: Segment[];
    /** Higher sorts first: literal 2, param 1, greedy 0 per segment. */
    rank: number[];
    value: T;
}

export type RouteMatch<T> =
    | { kind: "found"; value: T; params: Record<string, string> }
    /** The path exists, under other methods; `owner` is the most specific route serving it. */
    | { kind: "method"; allowed: string[]; owner: T }
    | { kind: "none" };

/** A route path that cannot be parsed or a percent-encoding that cannot be decoded. */
export class RoutePathError extends Error {}

export class RouteTable<T> {
    private entries: Entry<T>[] = [];

    /** Adds a route; throws when an equivalent one (same method, same shape) exists. */
    add(method: string, path: string, value: T): void {
        const clash = this.clash(method, path);
        if (clash) throw new RoutePathError(`${method} ${path} is already served by ${clash}`);
        const segments = parsePath(path);
        const rank = segments.map((s) => (s.kind === "literal" ? 2 : s.kind === "param" ? 1 : 0));
        this.entries.push({ method, path, segments, rank, value });
        this.entries.sort((a, b) => compareRanks(b.rank, a.rank));
    }

    /** The route that would serve the same requests as `method path` ("/users/{id}" = "/users/{userId}"), as "METHOD /path". */
    clash(method: string, path: string): string | undefined {
        const shape = shapeOf(parsePath(path));
        const clash = this.entries.find((e) => e.method === method && shapeOf(e.segments) === shape);
        return clash && `${clash.method} ${clash.path}`;
    }

    /** Every route, as "METHOD /path". */
    keys(): string[] {
        return this.entries.map((e) => `${e.method} ${e.path}`);
    }

    /** Matches a raw (percent-encoded) request path; params come back decoded. */
    match(method: string, rawPath: string): RouteMatch<T> {
        const parts = splitRawPath(rawPath);
        const allowed = new Set<string>();
        let owner: Entry<T> | undefined;
        for (const entry of this.entries) {
            const params = matchSegments(entry.segments, parts);
            if (!params) continue;
            if (entry.method === method) return { kind: "found", value: entry.value, params };
            allowed.add(entry.method);
            owner ??= entry;
        }
        return owner ? { kind: "method", allowed: [...allowed].sort(), owner: owner.value } : { kind: "none" };
    }
}

function parsePath(path: string): Segment[] {
    if (!path.startsWith("/")) throw new RoutePathError(`route path '${path}' must start with /`);
    if (path === "/") return [];
    const segments = path.slice(1).split("/").map((part, i, all): Segment => {
        const param = /^\{([A-Za-z0-9_]+)(\+?)\}$/.exec(part);
        if (!param) return { kind: "literal", text: part };
        if (param[2] && i !== all.length - 1) throw new RoutePathError(`route path '${path}': a greedy {${param[1]}+} must be the last segment`);
        return { kind: param[2] ? "greedy" : "param", name: param[1] };
    });
    return segments;
}

/** The path with parameter names erased: "/users/{id}" and "/users/{userId}" clash. */
function shapeOf(segments: Segment[]): string {
    return segments.map((s) => (s.kind === "literal" ? s.text : s.kind === "param" ? "{}" : "{+}")).join("/");
}

function compareRanks(a: number[], b: number[]): number {
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
    return a.length - b.length;
}

/** "/users/42/" -> ["users", "42"]; "/" -> []. Segments stay encoded until matched. */
function splitRawPath(rawPath: string): string[] {
    let path = rawPath.length > 1 && rawPath.endsWith("/") ? rawPath.slice(0, -1) : rawPath;
    if (path.startsWith("/")) path = path.slice(1);
    return path === "" ? [] : path.split("/");
}

function matchSegments(segments: Segment[], parts: string[]): Record<string, string> | undefined {
    const params: Record<string, string> = {};
    for (let i = 0; i < segments.length; i++) {
        const segment = segments[i];
        if (segment.kind === "greedy") {
            if (i >= parts.length) return undefined; // {proxy+} needs at least one segment
            params[segment.name] = parts.slice(i).map(decode).join("/");
            return params;
        }
        if (i >= parts.length) return undefined;
        const part = decode(parts[i]);
        if (segment.kind === "literal") {
            if (part !== segment.text) return undefined;
        } else {
            if (part === "") return undefined;
            params[segment.name] = part;
        }
    }
    return segments.length === parts.length ? params : undefined;
}

function decode(part: string): string {
    if (!part.includes("%")) return part;
    try {
        return decodeURIComponent(part);
    } catch {
        throw new RoutePathError(`malformed percent-encoding in path segment '${part}'`);
    }
}

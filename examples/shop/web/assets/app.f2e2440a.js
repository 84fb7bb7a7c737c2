// The typical app's front end, kept small and dependency-free. It reads the stack's runtime
// configuration from /config.json (written by StaticSite, so one build serves every stack), signs
// in through Auth (the refresh token stays in an HttpOnly cookie the page never sees; the access
// token lives in memory only), places and lists the signed-in user's orders, and keeps a
// WebSocket to Realtime open so that status changes the back end pushes show at once.
"use strict";

const $ = (id) => document.getElementById(id);
let apiUrl;
let authUrl;
let realtimeUrl;
let uploadUrl;
let accessToken;
/** The live connection, and how long to wait before the next attempt after it drops. */
let socket;
let reconnectDelay = 1000;
/** Orders as last pushed, by id: a push may overtake the answer or the list it updates. */
const pushed = new Map();
/** How far along each status is: of two views of an order, the further one is the newer. */
const STAGE = { placed: 0, confirmed: 1, paying: 2, paid: 3, payment_failed: 3, payment_timed_out: 3 };

/** The newest view of `order`: as given, or as pushed if that is further along. */
function latest(order) {
    const seen = pushed.get(order.orderId);
    return seen && (STAGE[seen.status] ?? 0) > (STAGE[order.status] ?? 0) ? seen : order;
}

/** Auth's refresh and logout answer only requests a cross-site form could not send. */
async function auth(path) {
    const response = await fetch(`${authUrl}/auth/${path}`, {
        method: "POST",
        credentials: "include",
        headers: { "content-type": "application/json" },
        body: "{}",
    });
    return response.status === 204 ? {} : { status: response.status, body: await response.json() };
}

async function call(method, path, body, retried = false) {
    const response = await fetch(`${apiUrl}${path}`, {
        method,
        headers: { ...(body ? { "content-type": "application/json" } : {}), ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}) },
        body: body ? JSON.stringify(body) : undefined,
    });
    // An expired access token: rotate the refresh token once, then try again.
    if (response.status === 401 && !retried && (await refresh())) return call(method, path, body, true);
    const answer = response.status === 204 ? {} : await response.json();
    if (!response.ok) throw new Error(answer.error ? answer.error.message : `HTTP ${response.status}`);
    return answer;
}

async function refresh() {
    const answer = await auth("refresh");
    accessToken = answer.status === 200 ? answer.body.accessToken : undefined;
    return accessToken !== undefined;
}

function show(id, text, failed = false) {
    $(id).textContent = text;
    $(id).dataset.failed = String(failed);
}

async function showSignedIn() {
    const response = await fetch(`${authUrl}/auth/userinfo`, { headers: { authorization: `Bearer ${accessToken}` } });
    const me = await response.json();
    if (!response.ok) throw new Error(me.error ? me.error.message : `HTTP ${response.status}`);
    show("user", `${me.name || me.email} <${me.email}>`);
    $("user-roles").textContent = (me.roles || []).join(", ");
    $("signed-out").hidden = true;
    $("signed-in").hidden = false;
    document.body.dataset.user = me.sub;
    await listOrders();
    connectLive();
}

/** Opens the Realtime connection with the current access token; reopens it (fresh token) when it drops. */
function connectLive() {
    if (!realtimeUrl || !accessToken || socket) return;
    // The token travels as the second subprotocol (the server answers "bearer"): never in a URL or a log.
    socket = new WebSocket(realtimeUrl, ["bearer", accessToken]);
    socket.addEventListener("open", () => {
        reconnectDelay = 1000;
        show("live", "connected");
    });
    socket.addEventListener("message", (event) => {
        const update = JSON.parse(event.data);
        if (update.type === "order") showOrderUpdate(update.order);
        if (update.type === "upload") showProcessedFile(update.file);
    });
    socket.addEventListener("close", () => {
        socket = undefined;
        show("live", "disconnected");
        // Signed out: stay closed. Otherwise the token may have expired: refresh it, then reconnect.
        if (!accessToken) return;
        setTimeout(() => void refresh().then((ok) => ok && connectLive()), reconnectDelay);
        reconnectDelay = Math.min(reconnectDelay * 2, 30_000);
    });
}

function showOrderUpdate(given) {
    const order = latest(given);
    pushed.set(order.orderId, order);
    show("order-status", order.status);
    const item = document.querySelector(`#order-list li[data-order-id="${CSS.escape(order.orderId)}"]`);
    if (item) item.replaceWith(orderItem(order));
}

async function signOut() {
    await auth("logout");
    accessToken = undefined;
    socket?.close();
    $("signed-in").hidden = true;
    $("signed-out").hidden = false;
    $("order-list").replaceChildren();
    delete document.body.dataset.user;
}

async function placeOrder(event) {
    event.preventDefault();
    try {
        const lines = [{ sku: $("sku").value, quantity: Number($("quantity").value), unitPrice: 1250 }];
        const order = await call("POST", "/orders", { lines, currency: "EUR" });
        show("order-status", latest(order).status);
        await listOrders();
    } catch (error) {
        show("order-status", error.message, true);
    }
}

/**
 * Uploads the chosen file straight to storage: the API signs (name, type and size checked there),
 * the browser sends the bytes to the signed URL; the processed news arrives over the WebSocket.
 */
async function uploadFile(event) {
    event.preventDefault();
    const file = $("file").files[0];
    if (!file) return;
    try {
        show("upload-status", "signing…");
        const signed = await callUpload({ name: file.name, contentType: file.type || "application/octet-stream", size: file.size });
        show("upload-status", "uploading…");
        const response = signed.method === "POST"
            ? await fetch(signed.url, { method: "POST", body: formFor(signed.fields, file) })
            : await fetch(signed.url, { method: "PUT", headers: signed.headers, body: file });
        if (!response.ok) throw new Error(`upload refused: HTTP ${response.status}`);
        show("upload-status", "uploaded; processing…");
    } catch (error) {
        show("upload-status", error.message, true);
    }
}

async function callUpload(request, retried = false) {
    const response = await fetch(`${uploadUrl}/uploads`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${accessToken}` },
        body: JSON.stringify(request),
    });
    if (response.status === 401 && !retried && (await refresh())) return callUpload(request, true);
    const answer = await response.json();
    if (!response.ok) throw new Error(answer.error ? answer.error.message : `HTTP ${response.status}`);
    return answer;
}

/** S3's form upload: the signed fields first, the file last. */
function formFor(fields, file) {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields || {})) form.append(name, value);
    form.append("file", file);
    return form;
}

function showProcessedFile(file) {
    show("upload-status", `processed ${file.name}`);
    const item = document.createElement("li");
    item.dataset.sha256 = file.sha256;
    item.textContent = `${file.name}: ${file.size} bytes, ${file.contentType}, sha256 ${file.sha256.slice(0, 12)}…`;
    $("file-list").append(item);
}

async function listOrders() {
    const { orders } = await call("GET", "/orders?limit=100");
    $("order-list").replaceChildren(...orders.map((order) => orderItem(latest(order))));
}

/** Orders that can still be paid show a Pay button. */
const PAYABLE = new Set(["placed", "confirmed"]);

function orderItem(order) {
    const item = document.createElement("li");
    item.dataset.orderId = order.orderId;
    item.dataset.status = order.status;
    const summary = document.createElement("span");
    summary.className = "summary";
    summary.textContent = `${order.lines.map((l) => `${l.quantity} × ${l.sku}`).join(", ")}: ${(order.total / 100).toFixed(2)} ${order.currency} (${order.status.replace(/_/g, " ")})`;
    item.append(summary);
    if (PAYABLE.has(order.status)) {
        const pay = document.createElement("button");
        pay.type = "button";
        pay.className = "pay";
        pay.textContent = "Pay";
        pay.addEventListener("click", () => void payOrder(order, pay));
        item.append(" ", pay);
    }
    return item;
}

/** Starts the payment; the outcome arrives later as a push (paid, payment failed or timed out). */
async function payOrder(order, button) {
    button.disabled = true;
    try {
        const paying = await call("POST", `/orders/${encodeURIComponent(order.orderId)}/pay`);
        showOrderUpdate(latest(paying));
    } catch (error) {
        button.disabled = false;
        show("order-status", error.message, true);
    }
}

async function start() {
    $("route").textContent = window.location.pathname;
    try {
        const response = await fetch("/config.json", { cache: "no-cache" });
        if (!response.ok) throw new Error(`config.json: HTTP ${response.status}`);
        const config = await response.json();
        apiUrl = (config.apiUrl || "").replace(/\/+$/, "");
        authUrl = (config.authUrl || "").replace(/\/+$/, "");
        realtimeUrl = config.realtimeUrl || "";
        uploadUrl = (config.uploadUrl || "").replace(/\/+$/, "");
        $("api-url").textContent = apiUrl || "(no apiUrl configured)";
        $("sign-in").href = `${authUrl}/auth/login?redirect=${encodeURIComponent(window.location.pathname)}`;
        $("sign-out").addEventListener("click", () => void signOut());
        $("order").addEventListener("submit", placeOrder);
        $("upload").addEventListener("submit", uploadFile);
        if (await refresh()) await showSignedIn();
        document.body.dataset.state = "ready";
    } catch (error) {
        $("api-url").textContent = `unavailable (${error.message})`;
        document.body.dataset.state = "error";
    }
}

document.addEventListener("DOMContentLoaded", start);

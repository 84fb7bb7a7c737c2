// The typical app's front end, kept small and dependency-free. It reads the stack's runtime
// configuration from /config.json (written by StaticSite, so one build serves every stack), signs
// in through Auth (the refresh token stays in an HttpOnly cookie the page never sees; the access
// token lives in memory only), and places and lists the signed-in user's orders.
"use strict";

const $ = (id) => document.getElementById(id);
let apiUrl;
let authUrl;
let accessToken;

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
}

async function signOut() {
    await auth("logout");
    accessToken = undefined;
    $("signed-in").hidden = true;
    $("signed-out").hidden = false;
    $("order-list").replaceChildren();
    delete document.body.dataset.user;
}

async function placeOrder(event) {
    event.preventDefault();
    try {
        const lines = [{ sku: $("sku").value, quantity: Number($("quantity").value), unitPrice: 1250 }];
        await call("POST", "/orders", { lines, currency: "EUR" });
        show("order-status", "placed");
        await listOrders();
    } catch (error) {
        show("order-status", error.message, true);
    }
}

async function listOrders() {
    const { orders } = await call("GET", "/orders?limit=100");
    $("order-list").replaceChildren(...orders.map((order) => {
        const item = document.createElement("li");
        item.textContent = `${order.lines.map((l) => `${l.quantity} × ${l.sku}`).join(", ")}: ${(order.total / 100).toFixed(2)} ${order.currency}`;
        return item;
    }));
}

async function start() {
    $("route").textContent = window.location.pathname;
    try {
        const response = await fetch("/config.json", { cache: "no-cache" });
        if (!response.ok) throw new Error(`config.json: HTTP ${response.status}`);
        const config = await response.json();
        apiUrl = (config.apiUrl || "").replace(/\/+$/, "");
        authUrl = (config.authUrl || "").replace(/\/+$/, "");
        $("api-url").textContent = apiUrl || "(no apiUrl configured)";
        $("sign-in").href = `${authUrl}/auth/login?redirect=${encodeURIComponent(window.location.pathname)}`;
        $("sign-out").addEventListener("click", () => void signOut());
        $("order").addEventListener("submit", placeOrder);
        if (await refresh()) await showSignedIn();
        document.body.dataset.state = "ready";
    } catch (error) {
        $("api-url").textContent = `unavailable (${error.message})`;
        document.body.dataset.state = "error";
    }
}

document.addEventListener("DOMContentLoaded", start);

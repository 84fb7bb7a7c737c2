// The typical app's front end, kept small and dependency-free: it reads the stack's runtime
// configuration from /config.json (written by StaticSite, so one build serves every stack), then
// registers a user and places and lists their orders through the BusinessApi.
"use strict";

const $ = (id) => document.getElementById(id);
let apiUrl;
let userId;

async function call(method, path, body) {
    const response = await fetch(`${apiUrl}${path}`, {
        method,
        headers: body ? { "content-type": "application/json" } : {},
        body: body ? JSON.stringify(body) : undefined,
    });
    const answer = response.status === 204 ? {} : await response.json();
    if (!response.ok) throw new Error(answer.error ? answer.error.message : `HTTP ${response.status}`);
    return answer;
}

function show(id, text, failed = false) {
    $(id).textContent = text;
    $(id).dataset.failed = String(failed);
}

async function register(event) {
    event.preventDefault();
    try {
        const created = await call("POST", "/users", { email: $("email").value, name: $("name").value });
        userId = created.userId;
        show("user", userId);
        $("orders").hidden = false;
        await listOrders();
    } catch (error) {
        show("user", error.message, true);
    }
}

async function placeOrder(event) {
    event.preventDefault();
    try {
        const lines = [{ sku: $("sku").value, quantity: Number($("quantity").value), unitPrice: 1250 }];
        await call("POST", `/users/${encodeURIComponent(userId)}/orders`, { lines, currency: "EUR" });
        show("order-status", "placed");
        await listOrders();
    } catch (error) {
        show("order-status", error.message, true);
    }
}

async function listOrders() {
    const { orders } = await call("GET", `/users/${encodeURIComponent(userId)}/orders?limit=100`);
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
        $("api-url").textContent = apiUrl || "(no apiUrl configured)";
        $("register").addEventListener("submit", register);
        $("order").addEventListener("submit", placeOrder);
        document.body.dataset.state = "ready";
    } catch (error) {
        $("api-url").textContent = `unavailable (${error.message})`;
        document.body.dataset.state = "error";
    }
}

document.addEventListener("DOMContentLoaded", start);

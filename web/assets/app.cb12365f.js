// The typical app's front end, kept small: it reads the stack's runtime configuration from
// /config.json (written by StaticSite, so one build serves every stack) and shows where its API is.
"use strict";

async function start() {
    const route = document.getElementById("route");
    const api = document.getElementById("api-url");
    route.textContent = window.location.pathname;
    try {
        const response = await fetch("/config.json", { cache: "no-cache" });
        if (!response.ok) throw new Error(`config.json: HTTP ${response.status}`);
        const config = await response.json();
        api.textContent = config.apiUrl || "(no apiUrl configured)";
        document.body.dataset.state = "ready";
    } catch (error) {
        api.textContent = `unavailable (${error.message})`;
        document.body.dataset.state = "error";
    }
}

document.addEventListener("DOMContentLoaded", start);

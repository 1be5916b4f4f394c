// Stackwise web chat. Untrusted text is only ever set with textContent; links are
// limited to http(s) URLs; images come as data: URLs of PNG or SVG (an <img> never
// runs scripts inside an SVG). Nothing is loaded from outside this server.
"use strict";

const log = document.getElementById("log");
const statusLine = document.getElementById("status");
const form = document.getElementById("composer");
const input = document.getElementById("message");
const badgeInput = document.getElementById("badge");

function cookie(name) {
  const match = document.cookie.split("; ").find((part) => part.startsWith(name + "="));
  return match ? decodeURIComponent(match.split("=")[1]) : null;
}

async function ensureSession(force) {
  if (!force && cookie("stackwise_csrf")) return;
  const response = await fetch("/api/sessions", { method: "POST", credentials: "same-origin" });
  if (!response.ok) throw new Error("Could not start a session (" + response.status + ")");
}

async function api(path, options = {}, retried = false) {
  await ensureSession(false);
  const headers = Object.assign({}, options.headers || {});
  if (options.method && options.method !== "GET") headers["X-CSRF-Token"] = cookie("stackwise_csrf") || "";
  const response = await fetch(path, Object.assign({}, options, { headers, credentials: "same-origin" }));
  if (response.status === 401 && !retried) {
    await ensureSession(true);
    return api(path, options, true);
  }
  return response;
}

function setStatus(text) { statusLine.textContent = text || ""; }

function safeUrl(url) {
  try {
    const parsed = new URL(url, window.location.href);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : null;
  } catch (e) { return null; }
}

function base64Standard(data) {
  const standard = data.replace(/-/g, "+").replace(/_/g, "/");
  return standard + "=".repeat((4 - (standard.length % 4)) % 4);
}

function addMessage(role, text) {
  const item = document.createElement("li");
  item.className = "msg " + role;
  const body = document.createElement("p");
  body.className = "text";
  body.textContent = text;
  item.appendChild(body);
  log.appendChild(item);
  item.scrollIntoView({ block: "end" });
  return item;
}

function renderAnswer(item, answer) {
  item.querySelector(".text").textContent = answer.text;
  item.dataset.intent = answer.intent || "";
  for (const attachment of answer.attachments || []) {
    if (attachment.media_type !== "image/png" && attachment.media_type !== "image/svg+xml") continue;
    const image = document.createElement("img");
    image.alt = attachment.alt || attachment.name;
    image.src = "data:" + attachment.media_type + ";base64," + base64Standard(attachment.data);
    item.appendChild(image);
  }
  if ((answer.citations || []).length) {
    const list = document.createElement("ul");
    list.className = "citations";
    list.setAttribute("aria-label", "Sources");
    for (const citation of answer.citations) {
      const entry = document.createElement("li");
      const url = citation.url ? safeUrl(citation.url) : null;
      if (url) {
        const link = document.createElement("a");
        link.href = url;
        link.rel = "noopener noreferrer";
        link.target = "_blank";
        link.textContent = citation.title;
        entry.appendChild(link);
      } else {
        entry.textContent = citation.title;
      }
      entry.appendChild(document.createTextNode(" (" + citation.id + ")"));
      list.appendChild(entry);
    }
    item.appendChild(list);
  }
  if ((answer.actions || []).length) {
    const actions = document.createElement("div");
    actions.className = "actions";
    for (const action of answer.actions) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = action.label;
      button.addEventListener("click", () => send(action.payload, action.label));
      actions.appendChild(button);
    }
    item.appendChild(actions);
  }
  item.scrollIntoView({ block: "end" });
}

// Reads the server-sent events of /api/chat/stream: "delta" chunks, then one "answer".
async function readStream(response, item) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let streamed = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      let event = "message";
      let data = "";
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) event = line.slice(6).trim();
        else if (line.startsWith("data:")) data += line.slice(5).trim();
      }
      if (!data) continue;
      const payload = JSON.parse(data);
      if (event === "delta") {
        streamed += payload.text;
        item.querySelector(".text").textContent = streamed;
      } else if (event === "answer") {
        renderAnswer(item, payload);
      } else if (event === "error") {
        item.querySelector(".text").textContent = payload.message;
      }
    }
  }
}

async function send(message, shownAs) {
  addMessage("learner", shownAs || message);
  const item = addMessage("coach", "…");
  setStatus("Thinking…");
  try {
    const response = await api("/api/chat/stream", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ message }),
    });
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      item.querySelector(".text").textContent = problem.detail || ("Something went wrong (" + response.status + ").");
    } else {
      await readStream(response, item);
    }
  } catch (error) {
    item.querySelector(".text").textContent = "The coach could not be reached. Please try again.";
  } finally {
    setStatus("");
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const message = input.value.trim();
  if (!message) return;
  input.value = "";
  send(message);
});

input.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey) {
    event.preventDefault();
    form.requestSubmit();
  }
});

badgeInput.addEventListener("change", async () => {
  const file = badgeInput.files[0];
  if (!file) return;
  addMessage("learner", "Uploaded " + file.name);
  const item = addMessage("coach", "Checking your badge…");
  const body = new FormData();
  body.append("file", file);
  try {
    const response = await api("/api/wallet", { method: "POST", body });
    const payload = await response.json();
    if (response.ok) renderAnswer(item, payload.answer);
    else item.querySelector(".text").textContent = payload.detail || "That file could not be added.";
  } catch (error) {
    item.querySelector(".text").textContent = "The upload failed. Please try again.";
  }
  badgeInput.value = "";
});

document.getElementById("wallet-button").addEventListener("click", () => send("show my wallet", "My wallet"));

document.getElementById("export-button").addEventListener("click", async () => {
  const response = await api("/api/wallet/export");
  if (!response.ok) { setStatus("Export failed (" + response.status + ")."); return; }
  const blob = new Blob([await response.text()], { type: "application/json" });
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = "stackwise-export.json";
  link.click();
  URL.revokeObjectURL(link.href);
});

// Accounts: keep this learner across devices, or sign in to one kept earlier.
const accountStatus = document.getElementById("account-status");
function credentials() {
  return JSON.stringify({
    username: document.getElementById("username").value.trim(),
    password: document.getElementById("password").value,
  });
}
document.getElementById("account-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const response = await api("/api/account", {
    method: "POST", headers: { "Content-Type": "application/json" }, body: credentials(),
  });
  const payload = await response.json().catch(() => ({}));
  accountStatus.textContent = response.ok
    ? "Account created: sign in with it on any device."
    : (typeof payload.detail === "string" ? payload.detail : "That did not work; check the fields.");
});
document.getElementById("sign-in").addEventListener("click", async () => {
  const response = await fetch("/api/login", {
    method: "POST", headers: { "Content-Type": "application/json" }, body: credentials(),
    credentials: "same-origin",
  });
  if (response.ok) {
    accountStatus.textContent = "Signed in.";
    log.replaceChildren();
    send("hello", "Hello");
  } else {
    accountStatus.textContent = "Wrong username or password.";
  }
});

ensureSession(false).then(() => send("hello", "Hello")).catch((error) => setStatus(error.message));

// The portal's only script: the SMS counter, the keypads, the code's resend cool-down, the
// demo-token button and the events page's live list.
"use strict";

// --- SMS segmentation, mirroring selfcare.sms.plan (3GPP TS 23.038 / 23.040) --------------
// The GSM 7-bit default alphabet (0x1B, the escape, excluded) and its extension table.
const GSM7_BASIC = new Set(Array.from(
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
  "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"));
const GSM7_EXTENSION = new Set(Array.from("\f^{}\\[~]|€"));

function gsm7Cost(ch) {
  if (GSM7_BASIC.has(ch)) return 1;
  if (GSM7_EXTENSION.has(ch)) return 2;
  return null;
}

// One UTF-16 code unit per BMP character, a surrogate pair (2) beyond it.
function ucs2Cost(ch) { return ch.codePointAt(0) > 0xFFFF ? 2 : 1; }

// Like selfcare.sms.plan(text): encoding, parts, units, per-part capacity and what is left.
function smsPlan(text) {
  const chars = Array.from(text);               // code points, as Python iterates a str
  let costs = chars.map(gsm7Cost);
  let encoding = "gsm7", single = 160, multi = 153;
  if (costs.includes(null)) {
    encoding = "ucs2"; single = 70; multi = 67;
    costs = chars.map(ucs2Cost);
  }
  const units = costs.reduce((a, b) => a + b, 0);
  const perPart = units <= single ? single : multi;
  const parts = [];
  let used = 0;
  for (const cost of costs) {                    // greedy: a pair never straddles two parts
    if (used + cost > perPart) { parts.push(used); used = 0; }
    used += cost;
  }
  parts.push(used);
  return { encoding, count: parts.length, units, perPart, remaining: perPart - used };
}

function formatMinor(minor, scale) {
  const sign = minor < 0 ? "-" : "";
  const digits = String(Math.abs(minor)).padStart(scale + 1, "0");
  return scale ? `${sign}${digits.slice(0, -scale)}.${digits.slice(-scale)}` : sign + digits;
}

function updateCounter(textarea, counter) {
  const plan = smsPlan(textarea.value);
  counter.dataset.encoding = plan.encoding;
  counter.dataset.parts = plan.count;
  counter.dataset.units = plan.units;
  counter.dataset.perPart = plan.perPart;
  counter.dataset.remaining = plan.remaining;
  // The words come from the page (translated there), with {placeholders} filled in here.
  const fill = (template, values) => template.replace(/\{(\w+)\}/g, (all, name) =>
    (name in values ? String(values[name]) : all));
  let text = fill(counter.dataset.text ||
    "{parts} SMS · {encoding} · {units} of {capacity} units · {left} left in this part", {
    parts: plan.count, encoding: plan.encoding === "gsm7" ? "GSM 7-bit" : "UCS-2",
    units: plan.units, capacity: plan.count * plan.perPart, left: plan.remaining,
  });
  if (counter.dataset.priceMinor) {
    const cost = formatMinor(plan.count * Number(counter.dataset.priceMinor),
                             Number(counter.dataset.priceScale));
    counter.dataset.cost = cost;
    text += " · " + fill(counter.dataset.costText || "up to {cost} {currency} per recipient",
                 { cost, currency: counter.dataset.currency });
  }
  const tooLong = plan.count > Number(counter.dataset.maxParts || 10);
  counter.classList.toggle("too-long", tooLong);
  if (tooLong) {
    text += " — " + fill(counter.dataset.tooLong || "too long: at most {max} parts",
                 { max: counter.dataset.maxParts });
  }
  counter.textContent = text;
}

// --- the card keypad: only positions leave the page ----------------------------------------
function setUpKeypad(keypad) {
  const field = document.getElementById("positions");
  const dots = document.getElementById("pin-dots");
  const positions = [];
  const show = () => {
    field.value = positions.join(",");
    dots.textContent = "•".repeat(positions.length);
    dots.dataset.entered = positions.length;
  };
  keypad.querySelectorAll("button.key").forEach((key) => {
    key.addEventListener("click", () => { positions.push(Number(key.dataset.position)); show(); });
  });
  document.getElementById("key-back").addEventListener("click", () => { positions.pop(); show(); });
  document.getElementById("key-clear").addEventListener("click", () => { positions.length = 0; show(); });
  show();
}

// --- the one-time code's "send a new code": held back until its cool-down has passed ------
function setUpResend(button) {
  let wait = Number(button.dataset.wait || 0);
  const shown = document.getElementById("resend-wait");
  if (wait <= 0) return;
  button.disabled = true;
  const timer = setInterval(() => {
    wait -= 1;
    if (shown) shown.textContent = Math.max(wait, 0);
    if (wait <= 0) { button.disabled = false; clearInterval(timer); }
  }, 1000);
}

// --- the events page: new events join the list as they happen (server-sent events) -------
// The page works without this (reload to see new events); the words shown come from the page.
function setUpLiveEvents(table) {
  const status = document.getElementById("live-status");
  const rows = document.getElementById("event-rows");
  if (!window.EventSource || !status || !rows) return;
  const source = new EventSource(table.dataset.stream);
  const stop = (message) => { source.close(); status.textContent = message; status.dataset.state = "stopped"; };
  source.addEventListener("open", () => {
    status.textContent = status.dataset.live;
    status.dataset.state = "live";
  });
  source.addEventListener("event", (message) => {
    const event = JSON.parse(message.data);
    if (rows.querySelector(`tr[data-id="${CSS.escape(event.id)}"]`)) return;
    const row = document.createElement("tr");
    row.dataset.id = event.id;
    row.dataset.type = event.type;
    row.className = "new";
    const when = document.createElement("time");
    when.dateTime = event.datetime;
    when.textContent = event.at;
    for (const content of [when, event.label, event.summary]) {
      const cell = document.createElement("td");
      cell.append(content);                       // text, never markup
      row.append(cell);
    }
    rows.prepend(row);
    const none = document.getElementById("no-events");
    if (none) none.remove();
  });
  source.addEventListener("ended", () => stop(status.dataset.ended));
  source.addEventListener("failed", () => stop(status.dataset.failed));
  source.addEventListener("error", () => {
    // EventSource retries by itself; a 204 (signed out) or an error status closes it.
    if (source.readyState === EventSource.CLOSED) stop(status.dataset.failed);
  });
}

document.addEventListener("DOMContentLoaded", () => {
  const textarea = document.getElementById("sms-text");
  const counter = document.getElementById("sms-counter");
  if (textarea && counter) {
    textarea.addEventListener("input", () => updateCounter(textarea, counter));
    updateCounter(textarea, counter);
  }
  const keypad = document.getElementById("keypad");
  if (keypad) setUpKeypad(keypad);
  const resend = document.getElementById("resend");
  if (resend) setUpResend(resend);
  const events = document.getElementById("events");
  if (events && events.dataset.stream) setUpLiveEvents(events);
  const demo = document.getElementById("use-demo");
  if (demo) {
    demo.addEventListener("click", () => {
      document.getElementById("token").value = demo.dataset.token;
    });
  }
});

// Talking to the service's API (/api/v1) like any other client.
//
// The token lives in this browser's localStorage and travels only in the
// Authorization header: never in a URL, so no server or proxy log keeps it.
// Event streams are read with fetch() for the same reason (EventSource cannot
// send headers; the API's ?token= is there for clients that have nothing else).

const TOKEN_KEY = "judge.token";

export const session = {
  get token() { return localStorage.getItem(TOKEN_KEY); },
  set token(value) {
    if (value) localStorage.setItem(TOKEN_KEY, value);
    else localStorage.removeItem(TOKEN_KEY);
  },
};

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function explain(status, message) {
  if (status === 401) return "Your token was refused: sign in again.";
  if (status === 429) return `Too many submissions at once: ${message}`;
  if (status >= 500) return `The judge is unavailable right now (${status}): ${message}`;
  return message;
}

// `path` is under /api/v1, unless it is one of the page's own routes (/web/...).
export async function request(path, { json, signal, method } = {}) {
  const headers = new Headers();
  if (session.token) headers.set("Authorization", `Bearer ${session.token}`);
  const options = { method: method || (json === undefined ? "GET" : "POST"), headers, signal };
  if (json !== undefined) {
    headers.set("Content-Type", "application/json");
    options.body = JSON.stringify(json);
  }
  const response = await fetch(path.startsWith("/web/") ? path : `/api/v1${path}`, options);
  if (!response.ok) {
    let message = response.statusText;
    try {
      message = (await response.json()).message || message;
    } catch {
      // not JSON: keep the status text
    }
    throw new ApiError(response.status, explain(response.status, message));
  }
  return response;
}

export async function get(path, options) {
  return (await request(path, options)).json();
}

export async function post(path, json) {
  const response = await request(path, { json, method: "POST" });
  return response.status === 204 ? null : response.json();
}

// Resolves after `ms`, or rejects when `signal` aborts first.
export function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => { clearTimeout(timer); reject(signal.reason); }, { once: true });
  });
}

// Who the token belongs to ({name, role}), asked once per token (again after a failure).
let me = { token: null, promise: null };

export function account() {
  if (me.token !== session.token) {
    const asked = { token: session.token, promise: get("/me") };
    asked.promise.catch(() => { if (me === asked) me = { token: null, promise: null }; });
    me = asked;
  }
  return me.promise;
}

// The language the reader chose for wordings, kept in this browser; none
// chosen: the browser's own languages (its Accept-Language) decide.
const READER_KEY = "judge.reader-language";

export const reader = {
  get language() { return localStorage.getItem(READER_KEY); },
  set language(value) { localStorage.setItem(READER_KEY, value); },
  // `path` asking for the chosen language, if any.
  query(path, language = reader.language) {
    return language ? `${path}${path.includes("?") ? "&" : "?"}lang=${encodeURIComponent(language)}` : path;
  },
};

// Server-sent events as {event, data} objects, data parsed as JSON; the
// promise ends with the stream (or throws when it breaks or is aborted).
export async function follow(path, onEvent, signal) {
  const response = await request(path, { signal });
  const stream = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await stream.read();
    if (done) return;
    buffer = (buffer + value).replace(/\r\n?/g, "\n");
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const message = parseEvent(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
      if (message) onEvent(message);
    }
  }
}

function parseEvent(block) {
  let event = "message";
  const data = [];
  for (const line of block.split("\n")) {
    if (line.startsWith(":")) continue;  // a comment: keep-alive
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "event") event = value;
    else if (field === "data") data.push(value);
  }
  return data.length ? { event, data: JSON.parse(data.join("\n")) } : null;
}

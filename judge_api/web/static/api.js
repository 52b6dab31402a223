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

export async function request(path, { json, signal, method } = {}) {
  const headers = new Headers();
  if (session.token) headers.set("Authorization", `Bearer ${session.token}`);
  const options = { method: method || (json === undefined ? "GET" : "POST"), headers, signal };
  if (json !== undefined) {
    headers.set("Content-Type", "application/json");
    options.body = JSON.stringify(json);
  }
  const response = await fetch(`/api/v1${path}`, options);
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
  const response = await request(path, { json });
  return response.status === 204 ? null : response.json();
}

// Server-sent events as {event, data} objects, data parsed as JSON; the
// promise ends with the stream (or throws when it breaks or is aborted).
export async function follow(path, onEvent, signal) {
  const response = await request(path, { signal });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
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

// Which optional routes this service has, read from its OpenAPI schema: the
// page works with a service that lacks some (submission history, contests,
// /me) without a request that can only fail.
let featuresPromise = null;

export function features() {
  featuresPromise ??= fetch("/schema/openapi.json")
    .then((response) => (response.ok ? response.json() : null))
    .catch(() => null)
    .then((schema) => {
      // Path parameters compared by position, whatever their names.
      const anyName = (path) => path.replace(/\{[^}]*\}/g, "{}");
      const paths = new Map(Object.entries(schema?.paths || {}).map(([k, v]) => [anyName(k), v]));
      const has = (path, method = "get") => !schema || Boolean(paths.get(`/api/v1${path}`)?.[method]);
      return {
        me: has("/me"),
        history: has("/submissions"),
        contests: has("/contests"),
        scoreboardEvents: has("/contests/{}/scoreboard/events"),
        join: has("/contests/{}/join", "post"),
      };
    });
  return featuresPromise;
}

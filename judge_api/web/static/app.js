// The page: routes between its views (the part of the URL after #), and the
// sign-in with a token kept in this browser.

import { account, ApiError, get, session } from "./api.js";
import { contestLinks, contestList, contestView, contestsView } from "./contest.js";
import { h, heading, plural, replace } from "./dom.js";
import { exerciseView } from "./exercise.js";

const main = document.getElementById("main");
const byId = (id) => document.getElementById(id);
let current = null;  // the shown view's AbortController: leaving a view stops its streams

// The Contests link shows once there is a contest.
function showContestsLink(contests) {
  byId("contests-nav").hidden = !contests.length;
}

async function home(signal) {
  const [exercises, contests] = await Promise.all([get("/exercises", { signal }), contestList(signal)]);
  replace(main,
    heading("Exercises"),
    exercises.length ? h("ul", { class: "list" }, exercises.map((exercise) => h("li", {},
      h("a", { href: `#/exercises/${encodeURIComponent(exercise.slug)}` }, exercise.title),
      h("span", { class: "meta" }, `${exercise.languages.join(", ")} · ${plural(exercise.test_count, "test")}`))))
      : h("p", {}, "No exercise yet."),
    contests.length ? [h("h2", {}, "Contests"), contestLinks(contests)] : null);
  showContestsLink(contests);
}

const ROUTES = [
  [/^\/?$/, (_, signal) => home(signal)],
  [/^\/exercises\/([^/]+)$/, ([slug], signal) => exerciseView(main, slug, null, signal)],
  [/^\/contests$/, (_, signal) => contestsView(main, signal)],
  [/^\/contests\/([^/]+)$/, ([slug], signal) => contestView(main, slug, signal)],
  [/^\/contests\/([^/]+)\/exercises\/([^/]+)$/,
    ([contest, slug], signal) => exerciseView(main, slug, contest, signal)],
];

// The view shown is about to be replaced: its requests and streams stop, and
// <main> says aria-busy="true" until the next one is built (from the first
// request it needs to its last), so that assistive technologies (and tests)
// wait for it rather than meet a view about to go.
function leave() {
  current?.abort();
  main.setAttribute("aria-busy", "true");
}

async function show({ focus }) {
  leave();
  current = new AbortController();
  const signal = current.signal;
  await build(signal);
  if (signal.aborted) return;  // a later view is being built
  main.removeAttribute("aria-busy");
  if (focus) main.querySelector("h1")?.focus();
}

async function build(signal) {
  const path = location.hash.replace(/^#/, "");
  const route = ROUTES.find(([pattern]) => pattern.test(path));
  try {
    if (!route) throw new ApiError(404, "There is no such page here.");
    const parts = path.match(route[0]).slice(1).map(decodeURIComponent);
    await route[1](parts, signal);
  } catch (error) {
    if (signal.aborted) return;
    const title = error.status === 404 ? "Not found" : "Something went wrong";
    replace(main, heading(title), h("p", { class: "error" }, error.message),
      h("p", {}, h("a", { href: "#/" }, "Back to the exercises")));
  }
}

// Shows who is signed in; a token the service refuses is forgotten.
async function showAccount() {
  const token = session.token;
  byId("sign-in").hidden = Boolean(token);
  byId("signed-in").hidden = !token;
  if (!token) return;
  byId("who").textContent = "Signed in";
  try {
    const me = await account();
    byId("who").textContent = `Signed in as ${me.name} (${me.role})`;
  } catch (error) {
    if (error.status !== 401) return;
    session.token = null;
    await showAccount();
    byId("sign-in-error").textContent = "Unknown token: check it and sign in again.";
  }
}

byId("sign-in").addEventListener("submit", async (event) => {
  event.preventDefault();
  const field = byId("token");
  leave();  // the view is built again for this token
  byId("sign-in-error").textContent = "";
  session.token = field.value.trim();
  field.value = "";
  await showAccount();
  await show({ focus: false });
  if (!session.token) field.focus();
});

byId("sign-out").addEventListener("click", async () => {
  leave();
  session.token = null;
  await showAccount();
  await show({ focus: false });
  byId("token").focus();
});

window.addEventListener("hashchange", () => show({ focus: true }));
showAccount().then(() => show({ focus: false }));
contestList().then(showContestsLink, () => {});  // without the link, #/contests still works

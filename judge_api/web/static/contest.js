// Contests: their list, and a contest's page with its live scoreboard.

import { account, follow, get, post, session, sleep } from "./api.js";
import { h, heading, replace, table, when } from "./dom.js";

const RECONNECT_MS = 3000;  // before following the board again when its stream broke
const PHASES = { upcoming: "not started", running: "running", ended: "ended" };

export function contestList(signal) {
  return get("/contests", { signal });
}

function summary(contest) {
  return `${contest.format.toUpperCase()} · ${when(contest.start)} to ${when(contest.end)}`
    + ` · ${PHASES[contest.phase] || contest.phase}`;
}

export function contestLinks(contests) {
  return h("ul", { class: "list" }, contests.map((contest) => h("li", {},
    h("a", { href: `#/contests/${encodeURIComponent(contest.slug)}` }, contest.title),
    h("span", { class: "meta" }, summary(contest)))));
}

export async function contestsView(main, signal) {
  const contests = await contestList(signal);
  replace(main, heading("Contests"), contests.length ? contestLinks(contests) : h("p", {}, "No contest."));
}

// An icpc cell: "+" solved (+2: after two rejected attempts) and its minute,
// "−2" two rejected attempts, "?1" one attempt whose result is not shown.
function icpcCell(problem) {
  if (problem.solved) {
    const rejected = problem.attempts - 1;
    return h("td", { class: "solved" }, `+${rejected || ""}`, h("span", { class: "minute" }, ` ${problem.time} min`));
  }
  const rejected = problem.attempts - problem.pending;
  const marks = [rejected ? `−${rejected}` : "", problem.pending ? `?${problem.pending}` : ""];
  return h("td", { class: problem.pending ? "pending" : "failed" }, marks.filter(Boolean).join(" "));
}

function ioiCell(problem) {
  return h("td", { class: problem.solved ? "number solved" : "number" },
    String(problem.score), problem.pending ? h("span", { class: "pending" }, ` ?${problem.pending}`) : null);
}

function cell(format, problem) {
  if (!problem || !problem.attempts) return h("td", {}, "");
  return format === "icpc" ? icpcCell(problem) : ioiCell(problem);
}

const LEGEND = {
  icpc: "+: solved, with the minute (+2: after two rejected attempts); −2: two rejected attempts; "
    + "?1: one attempt whose result is not shown yet.",
  ioi: "Each problem's best score out of 100; ?1: one attempt whose result is not shown yet.",
};

function scoreboardTable(board, slugs, user) {
  const icpc = board.format === "icpc";
  const headers = [{ label: "Rank", number: true }, "User", { label: icpc ? "Solved" : "Score", number: true },
    ...(icpc ? [{ label: "Penalty", number: true }] : []), ...slugs];
  const rows = board.rows.map((row) => h("tr", { class: row.user === user ? "me" : null },
    h("td", { class: "number" }, row.rank),
    h("th", { scope: "row" }, row.user),
    h("td", { class: "number" }, row.score),
    icpc ? h("td", { class: "number" }, row.penalty) : null,
    slugs.map((slug) => cell(board.format, row.problems[slug]))));
  return [
    board.frozen ? h("p", { class: "hint" }, "Frozen: later results are hidden until the end.") : null,
    rows.length ? table(`Updated ${new Date().toLocaleTimeString()}`, headers, rows)
      : h("p", {}, "No one has joined yet."),
    h("p", { class: "hint" }, LEGEND[board.format]),
  ];
}

// The board, now and at each change, until the view is left; a stream that
// broke (a proxy cut it, the service restarted) is followed again.
async function followScoreboard(slug, show, place, signal) {
  const path = `/contests/${encodeURIComponent(slug)}/scoreboard/events`;
  while (!signal.aborted) {
    try {
      await follow(path, ({ event, data }) => { if (event === "scoreboard") show(data); }, signal);
    } catch (error) {
      if (signal.aborted) return;
      if (error.status && error.status < 500) {
        replace(place, h("p", { class: "error" }, error.message));
        return;
      }
    }
    await sleep(RECONNECT_MS, signal).catch(() => {});
  }
}

// Joining: a button while the caller is not on the board, then a word of luck.
class Registration {
  constructor(slug, contest, user) {
    this.slug = slug;
    this.contest = contest;
    this.user = user;
    this.registered = false;
    this.status = h("p", { role: "status" });
    this.button = h("button", { type: "button", onclick: () => this.join() }, "Join");
    this.element = h("div", { class: "registration" });
    this.show();
  }

  async join() {
    this.button.disabled = true;
    try {
      await post(`/contests/${encodeURIComponent(this.slug)}/join`);
      this.registered = true;
      this.show();
    } catch (error) {
      this.status.textContent = error.message;
    } finally {
      this.button.disabled = false;
    }
  }

  update(board) {
    this.registered ||= board.rows.some((row) => row.user === this.user);
    this.show();
  }

  show() {
    if (this.contest.phase === "ended") {
      replace(this.element);
    } else if (!session.token) {
      replace(this.element, h("p", {}, "Sign in to join this contest."));
    } else if (this.registered) {
      replace(this.element, h("p", { role: "status" }, "You are registered: good luck!"));
    } else if (!this.element.contains(this.button)) {
      replace(this.element, this.button, this.status);
    }
  }
}

export async function contestView(main, slug, signal) {
  const [contest, exercises, me] = await Promise.all([
    get(`/contests/${encodeURIComponent(slug)}`, { signal }), get("/exercises", { signal }),
    session.token ? account() : null]);
  const titles = Object.fromEntries(exercises.map((exercise) => [exercise.slug, exercise.title]));
  const registration = new Registration(slug, contest, me?.name);
  const board = h("div", { class: "scoreboard", "aria-live": "polite" }, h("p", {}, "Loading the scoreboard…"));
  replace(main,
    heading(contest.title),
    h("p", { class: "meta" }, summary(contest)),
    registration.element,
    h("h2", {}, "Problems"),
    h("ul", { class: "list" }, contest.exercises.map((exercise) => h("li", {},
      h("a", { href: `#/contests/${encodeURIComponent(slug)}/exercises/${encodeURIComponent(exercise)}` },
        titles[exercise] || exercise)))),
    h("h2", {}, "Scoreboard"),
    board);
  followScoreboard(slug, (data) => {
    replace(board, scoreboardTable(data, contest.exercises, me?.name));
    registration.update(data);
  }, board, signal);
}

// Contests: their list, and a contest's page with its live scoreboard.

import { features, follow, get, post, session } from "./api.js";
import { h, heading, replace, table, when } from "./dom.js";

function items(body) {
  return Array.isArray(body) ? body : body.items || [];
}

export async function contestList(signal) {
  if (!(await features()).contests) return [];
  try {
    return items(await get("/contests", { signal }));
  } catch {
    return [];  // contests are an extra: the exercise list stands without them
  }
}

export function contestLinks(contests) {
  return h("ul", { class: "list" }, contests.map((contest) => h("li", {},
    h("a", { href: `#/contests/${encodeURIComponent(contest.slug)}` }, contest.title || contest.slug),
    h("span", { class: "meta" }, `${(contest.format || "").toUpperCase()} · ${when(contest.start)} to ${when(contest.end)}`))));
}

export async function contestsView(main, signal) {
  const contests = await contestList(signal);
  replace(main, heading("Contests"), contests.length ? contestLinks(contests) : h("p", {}, "No contest."));
}

function phase(contest) {
  const now = Date.now();
  if (now < Date.parse(contest.start)) return "not started";
  if (now >= Date.parse(contest.end)) return "ended";
  return "running";
}

function cell(format, problem) {
  if (!problem || !problem.attempts) return h("td", {}, "");
  if (format === "icpc") {
    return problem.solved
      ? h("td", { class: "solved" }, `+${problem.attempts > 1 ? problem.attempts - 1 : ""} ${problem.time} min`)
      : h("td", { class: "failed" }, `−${problem.attempts}`);
  }
  return h("td", { class: problem.solved ? "number solved" : "number" }, String(problem.score));
}

function scoreboardTable(board, slugs) {
  const icpc = board.format === "icpc";
  const headers = [{ label: "Rank", number: true }, "User", { label: icpc ? "Solved" : "Score", number: true },
    ...(icpc ? [{ label: "Penalty", number: true }] : []), ...slugs];
  const rows = board.rows.map((row) => h("tr", {},
    h("td", { class: "number" }, row.rank),
    h("th", { scope: "row" }, row.user),
    h("td", { class: "number" }, row.score),
    icpc ? h("td", { class: "number" }, row.penalty) : null,
    slugs.map((slug) => cell(board.format, row.problems[slug]))));
  return h("div", { class: "scoreboard" },
    board.frozen ? h("p", { class: "hint" }, "Frozen: later results are hidden until the end.") : null,
    table(`Updated ${new Date().toLocaleTimeString()}`, headers, rows));
}

async function followScoreboard(slug, contest, place, signal) {
  const path = `/contests/${encodeURIComponent(slug)}/scoreboard`;
  const show = (board) => replace(place, scoreboardTable(board, contest.exercises));
  try {
    if ((await features()).scoreboardEvents) {
      await follow(`${path}/events`, ({ event, data }) => { if (event === "scoreboard") show(data); }, signal);
    } else {
      show(await get(path, { signal }));
    }
  } catch (error) {
    if (!signal.aborted) replace(place, h("p", { class: "error" }, error.message));
  }
}

function joinButton(slug, contest) {
  const message = h("p", { role: "status" });
  const button = h("button", {
    type: "button",
    onclick: async () => {
      try {
        await post(`/contests/${encodeURIComponent(slug)}/join`);
        message.textContent = "You are registered: good luck!";
      } catch (error) {
        message.textContent = error.message;
      }
    },
  }, "Join");
  return session.token && phase(contest) !== "ended" ? h("div", {}, button, message) : null;
}

export async function contestView(main, slug, signal) {
  const [contest, exercises] = await Promise.all([
    get(`/contests/${encodeURIComponent(slug)}`, { signal }), get("/exercises", { signal })]);
  const titles = Object.fromEntries(exercises.map((exercise) => [exercise.slug, exercise.title]));
  const board = h("div", { "aria-live": "polite" }, h("p", {}, "Loading the scoreboard…"));
  replace(main,
    heading(contest.title || slug),
    h("p", { class: "meta" }, `${(contest.format || "").toUpperCase()} · ${when(contest.start)} to `
      + `${when(contest.end)} · ${phase(contest)}`),
    (await features()).join ? joinButton(slug, contest) : null,
    h("h2", {}, "Problems"),
    h("ul", { class: "list" }, contest.exercises.map((exercise) => h("li", {},
      h("a", { href: `#/contests/${encodeURIComponent(slug)}/exercises/${encodeURIComponent(exercise)}` },
        titles[exercise] || exercise)))),
    h("h2", {}, "Scoreboard"),
    board);
  followScoreboard(slug, contest, board, signal);
}

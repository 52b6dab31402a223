// An exercise's page: its wording, the submission form, live results, and the
// user's earlier submissions to it.

import { features, follow, get, post, session } from "./api.js";
import { badge, h, heading, plural, points, replace, table, when } from "./dom.js";
import { ResultPanel } from "./result.js";

const SESSION_KEY = "judge.submissions";  // sessionStorage: {exercise: [id, ...]}
const POLL_MS = 1000;

// Submissions made in this browser session: the history shown while the
// service has no submission listing (GET /submissions).
function sessionSubmissions() {
  try {
    return JSON.parse(sessionStorage.getItem(SESSION_KEY)) || {};
  } catch {
    return {};
  }
}

function remember(slug, id) {
  const all = sessionSubmissions();
  all[slug] = [...(all[slug] || []), id];
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(all));
}

// Aborted when either is (AbortSignal.any, for browsers that lack it).
function either(first, second) {
  const both = new AbortController();
  for (const signal of [first, second]) {
    if (signal.aborted) both.abort(signal.reason);
    else signal.addEventListener("abort", () => both.abort(signal.reason), { once: true });
  }
  return both.signal;
}

function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => { clearTimeout(timer); reject(signal.reason); });
  });
}

async function wordingHtml(slug) {
  const response = await fetch(`/web/exercises/${encodeURIComponent(slug)}/wording`);
  return response.ok ? (await response.json()).html : null;
}

function limitsLine(exercise) {
  const { time, memory } = exercise.limits;
  return `${time} s of CPU and ${memory} MiB of memory per test · `
    + `${plural(exercise.test_count, "test")} · ${plural(exercise.max_score, "point")}`;
}

function samples(exercise) {
  if (!exercise.samples.length) return null;
  return h("section", { "aria-labelledby": "samples-title" },
    h("h2", { id: "samples-title" }, "Examples"),
    exercise.samples.map((sample) => h("div", { class: "samples" },
      h("div", {}, h("h3", {}, `Input ${sample.name}`), h("pre", {}, sample.input)),
      h("div", {}, h("h3", {}, `Expected output ${sample.name}`), h("pre", {}, sample.output)))));
}

export async function exerciseView(main, slug, contest, signal) {
  const path = `/exercises/${encodeURIComponent(slug)}`;
  const [exercise, html, languages] = await Promise.all([
    get(path, { signal }), wordingHtml(slug), get("/languages", { signal })]);
  const names = Object.fromEntries(languages.map((language) => [language.id, language.name]));
  const wording = h("section", { class: "wording", "aria-label": "Wording" });
  if (html === null) wording.append(h("pre", {}, exercise.wording));
  else wording.innerHTML = html;  // rendered and sanitized by the server; the CSP forbids inline script

  const page = new ExercisePage(exercise, names, contest, signal);
  replace(main,
    contest ? h("p", {}, h("a", { href: `#/contests/${encodeURIComponent(contest)}` }, `Contest ${contest}`)) : null,
    heading(exercise.title),
    h("p", { class: "meta" }, limitsLine(exercise)),
    wording, samples(exercise), page.form, page.result.element, page.history);
  await page.showHistory();
}

class ExercisePage {
  constructor(exercise, names, contest, signal) {
    this.exercise = exercise;
    this.contest = contest;
    this.signal = signal;
    this.watching = null;
    this.names = names;
    this.result = new ResultPanel(exercise.test_count);
    this.history = h("section", { "aria-labelledby": "history-title" });
    this.form = this.buildForm(names);
  }

  get draftKey() { return `judge.draft.${this.exercise.slug}`; }
  get languageKey() { return `judge.language.${this.exercise.slug}`; }

  buildForm(names) {
    const slug = this.exercise.slug;
    this.language = h("select", { id: "language", name: "language" },
      this.exercise.languages.map((id) => h("option", { value: id }, names[id] || id)));
    const chosen = localStorage.getItem(this.languageKey);
    if (this.exercise.languages.includes(chosen)) this.language.value = chosen;
    this.language.addEventListener("change", () => localStorage.setItem(this.languageKey, this.language.value));
    this.source = h("textarea", {
      id: "source", name: "source", rows: 12, spellcheck: "false", autocapitalize: "off",
      autocomplete: "off", "aria-describedby": "source-hint",
    });
    this.source.value = localStorage.getItem(this.draftKey) || "";
    this.source.addEventListener("input", () => localStorage.setItem(this.draftKey, this.source.value));
    this.source.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) this.form.requestSubmit();
    });
    this.button = h("button", { type: "submit" }, "Submit");
    this.error = h("p", { class: "error", role: "alert" });
    return h("form", { class: "editor", "aria-labelledby": "form-title", onsubmit: (e) => this.submit(e) },
      h("h2", { id: "form-title" }, "Your solution"),
      h("div", { class: "row" }, h("label", { for: "language" }, "Language"), this.language),
      h("label", { for: "source" }, "Source"),
      this.source,
      h("p", { id: "source-hint", class: "hint" },
        `Tab moves to the next field; Ctrl+Enter submits. Your draft of ${slug} stays in this browser.`),
      h("div", { class: "row" }, this.button),
      this.error);
  }

  async submit(event) {
    event.preventDefault();
    this.error.textContent = "";
    if (!session.token) {
      this.error.textContent = "Sign in first: paste your token in the Token field at the top.";
      document.getElementById("token")?.focus();
      return;
    }
    const body = { exercise: this.exercise.slug, language: this.language.value, source: this.source.value };
    if (this.contest) body.contest = this.contest;
    this.button.disabled = true;
    try {
      const submission = await post("/submissions", body);
      remember(this.exercise.slug, submission.id);
      this.watch(submission);
    } catch (error) {
      this.error.textContent = error.message;
    } finally {
      this.button.disabled = false;
    }
  }

  // Follows a submission's events until its final result; one at a time.
  async watch(submission) {
    this.watching?.abort();
    const watching = new AbortController();
    this.watching = watching;
    const signal = either(this.signal, watching.signal);
    this.result.start(submission);
    let final = submission.status === "done" ? submission : null;
    try {
      if (!final) {
        await follow(`/submissions/${submission.id}/events`, ({ event, data }) => {
          if (event === "test") this.result.test(data);
          else if (event === "result") final = data;
        }, signal);
      }
      final ??= await this.poll(submission.id, signal);
    } catch (error) {
      if (signal.aborted) return;
      this.result.fail(`Lost track of the submission: ${error.message}`);
      return;
    }
    this.result.finish(final);
    if (submission.status !== "done") await this.showHistory();
  }

  // When the stream ended early (a proxy cut it): ask until judged.
  async poll(id, signal) {
    for (;;) {
      const submission = await get(`/submissions/${id}`, { signal });
      if (submission.status === "done") return submission;
      await sleep(POLL_MS, signal);
    }
  }

  async earlier() {
    const slug = this.exercise.slug;
    if ((await features()).history) {
      const query = new URLSearchParams({ exercise: slug, limit: "20" });
      if (this.contest) query.set("contest", this.contest);
      return { items: (await get(`/submissions?${query}`, { signal: this.signal })).items, kept: true };
    }
    const ids = (sessionSubmissions()[slug] || []).slice(-20).reverse();
    const items = await Promise.all(ids.map((id) => get(`/submissions/${id}`).catch(() => null)));
    return { items: items.filter(Boolean), kept: false };
  }

  async showHistory() {
    const title = h("h2", { id: "history-title" }, "Your submissions");
    if (!session.token) {
      replace(this.history, title, h("p", {}, "Sign in to submit and to see your submissions."));
      return;
    }
    let earlier;
    try {
      earlier = await this.earlier();
    } catch (error) {
      if (this.signal.aborted) return;
      replace(this.history, title, h("p", { class: "error" }, error.message));
      return;
    }
    const note = earlier.kept ? null
      : h("p", { class: "hint" }, "This service keeps no history yet: these are the submissions made in this browser session.");
    if (!earlier.items.length) {
      replace(this.history, title, note, h("p", {}, "None yet."));
      return;
    }
    const rows = earlier.items.map((item) => h("tr", {},
      h("th", { scope: "row" }, h("button", {
        type: "button", class: "secondary", "aria-label": `Show submission ${item.id}`,
        onclick: () => this.show(item.id),
      }, `#${item.id}`)),
      h("td", {}, when(item.created_at)),
      h("td", {}, this.names[item.language] || item.language),
      h("td", {}, badge(item.verdict), item.status === "done" ? "" : ` ${item.status}`),
      h("td", { class: "number" }, points(item.score, item.max_score))));
    replace(this.history, title, note,
      table(null, ["Submission", "Date", "Language", "Verdict", { label: "Score", number: true }], rows));
  }

  async show(id) {
    try {
      const submission = await get(`/submissions/${id}`, { signal: this.signal });
      await this.watch(submission);
      this.result.element.querySelector("h2").focus();
    } catch (error) {
      if (this.signal.aborted) return;
      this.error.textContent = error.message;
    }
  }
}

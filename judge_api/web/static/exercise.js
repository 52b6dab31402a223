// An exercise's page: its wording in the reader's language, the submission
// form, live results, and the user's earlier submissions to it.

import { follow, get, post, reader, session, sleep } from "./api.js";
import { badge, h, heading, plural, points, replace, table, when } from "./dom.js";
import { ResultPanel } from "./result.js";

const POLL_MS = 1000;
const HISTORY_PAGE = 20;  // submissions listed at once; older ones a click away
// Checkers whose messages the exercise's author writes, as Markdown (the
// contract: a check script's stdout is "a Markdown message for the student").
// The other checkers' messages are the judge's own plain words, quoting the
// program's output ("expected '**', got '*'"): shown as they are.
const MARKDOWN_CHECKERS = new Set(["script", "custom", "interactive"]);
const ORIGINAL = "en";  // the language of every exercise's wording.md (exercises/README.md)

// Aborted when either is (AbortSignal.any, for browsers that lack it).
function either(first, second) {
  const both = new AbortController();
  for (const signal of [first, second]) {
    if (signal.aborted) both.abort(signal.reason);
    else signal.addEventListener("abort", () => both.abort(signal.reason), { once: true });
  }
  return both.signal;
}

function limitsLine(exercise) {
  const { time, memory } = exercise.limits;
  return `${time} s of CPU and ${memory} MiB of memory per test · `
    + `${plural(exercise.test_count, "test")} · ${plural(exercise.max_score, "point")}`;
}

// File tasks ([io]): where the program reads its input and writes its answer.
function filesLine(exercise) {
  const { input, output } = exercise.io;
  if (!input && !output) return null;
  const reads = input ? `reads its input from the file ${input}` : "reads standard input";
  const writes = output ? `writes its answer to the file ${output}` : "writes to standard output";
  return h("p", { class: "meta", "data-io": "" }, `Your program ${reads} and ${writes}.`);
}

function samples(exercise) {
  if (!exercise.samples.length) return null;
  return h("section", { "aria-labelledby": "samples-title" },
    h("h2", { id: "samples-title" }, "Examples"),
    exercise.samples.map((sample) => h("div", { class: "samples" },
      h("div", {}, h("h3", {}, `Input ${sample.name}`), h("pre", {}, sample.input)),
      h("div", {}, h("h3", {}, `Expected output ${sample.name}`), h("pre", {}, sample.output)))));
}

// A language's name in that language ("Français"), or its tag.
function languageName(tag) {
  try {
    const name = new Intl.DisplayNames([tag], { type: "language" }).of(tag);
    return name && name !== tag ? name[0].toLocaleUpperCase(tag) + name.slice(1) : tag;
  } catch {
    return tag;
  }
}

// The wording, rendered and sanitized by the server, in the language chosen
// (none chosen: the browser's Accept-Language decides, as for the API).
class Wording {
  constructor(exercise) {
    this.exercise = exercise;
    this.language = exercise.language;
    this.element = h("section", { class: "wording", "aria-label": "Wording" });
    // wording.md is English; `translations` are its other languages, whichever is shown
    const languages = [...new Set([ORIGINAL, ...exercise.translations])];
    this.select = h("select", { id: "reading", name: "reading" },
      languages.map((tag) => h("option", { value: tag, lang: tag }, languageName(tag))));
    this.select.addEventListener("change", () => this.choose(this.select.value));
    this.control = languages.length > 1
      ? h("div", { class: "row reading" }, h("label", { for: "reading" }, "Read in"), this.select)
      : null;
  }

  async load(language = reader.language) {
    const path = `/web/exercises/${encodeURIComponent(this.exercise.slug)}/wording`;
    const response = await fetch(reader.query(path, language));
    const wording = response.ok ? await response.json() : null;
    if (wording === null) {  // shown as its Markdown text rather than not at all
      replace(this.element, h("pre", {}, this.exercise.wording));
    } else {
      this.element.innerHTML = wording.html;  // sanitized by the server; the CSP forbids inline script
      this.language = wording.language;
    }
    this.element.lang = this.language;
    this.select.value = this.language;
  }

  async choose(language) {
    reader.language = language;
    await this.load(language);
  }
}

export async function exerciseView(main, slug, contest, signal) {
  const path = `/exercises/${encodeURIComponent(slug)}`;
  const [exercise, languages] = await Promise.all([
    get(reader.query(path), { signal }), get("/languages", { signal })]);
  const names = Object.fromEntries(languages.map((language) => [language.id, language.name]));
  const wording = new Wording(exercise);
  await wording.load();
  const page = new ExercisePage(exercise, names, wording, contest, signal);
  replace(main,
    contest ? h("p", {}, h("a", { href: `#/contests/${encodeURIComponent(contest)}` }, `Contest ${contest}`)) : null,
    heading(exercise.title),
    h("p", { class: "meta" }, limitsLine(exercise)),
    filesLine(exercise),
    wording.control, wording.element, samples(exercise), page.form, page.result.element, page.history);
  await page.showHistory();
}

class ExercisePage {
  constructor(exercise, names, wording, contest, signal) {
    this.exercise = exercise;
    this.wording = wording;
    this.contest = contest;
    this.signal = signal;
    this.watching = null;
    this.names = names;
    this.listed = 0;  // the history's latest listing: an older one arriving late is dropped
    this.result = new ResultPanel(exercise.test_count, MARKDOWN_CHECKERS.has(exercise.checker));
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
      // Checks explain in the language the wording is read in.
      const submission = await post(reader.query("/submissions", this.wording.language), body);
      this.showHistory();
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

  // One page of the user's submissions to this exercise (in this contest, if any), newest first.
  earlier(cursor) {
    const query = new URLSearchParams({ exercise: this.exercise.slug, limit: String(HISTORY_PAGE) });
    if (this.contest) query.set("contest", this.contest);
    if (cursor) query.set("cursor", cursor);
    return get(`/submissions?${query}`, { signal: this.signal });
  }

  async showHistory() {
    const title = h("h2", { id: "history-title" }, "Your submissions");
    if (!session.token) {
      replace(this.history, title, h("p", {}, "Sign in to submit and to see your submissions."));
      return;
    }
    const listing = ++this.listed;
    let page;
    try {
      page = await this.earlier(null);
    } catch (error) {
      if (this.signal.aborted || listing !== this.listed) return;
      replace(this.history, title, h("p", { class: "error" }, error.message));
      return;
    }
    if (listing !== this.listed) return;
    if (!page.items.length) {
      replace(this.history, title, h("p", {}, "None yet."));
      return;
    }
    const headers = ["Submission", "Date", "Language", "Verdict", { label: "Score", number: true }];
    const list = table(null, headers, page.items.map((item) => this.row(item)));
    replace(this.history, title, list, this.olderButton(list.querySelector("tbody"), page.next, listing));
  }

  row(item) {
    return h("tr", {},
      h("th", { scope: "row" }, h("button", {
        type: "button", class: "secondary", "aria-label": `Show submission ${item.id}`,
        onclick: () => this.show(item.id),
      }, `#${item.id}`)),
      h("td", {}, when(item.created_at)),
      h("td", {}, this.names[item.language] || item.language),
      h("td", {}, badge(item.verdict), item.status === "done" ? "" : ` ${item.status}`),
      h("td", { class: "number" }, points(item.score, item.max_score)));
  }

  // "Show older submissions" while the listing has a next page (`next`, a cursor).
  olderButton(rows, next, listing) {
    if (!next) return null;
    const problem = h("p", { class: "error", role: "alert" });
    const button = h("button", {
      type: "button", class: "secondary",
      onclick: async () => {
        button.disabled = true;
        try {
          const page = await this.earlier(next);
          if (listing !== this.listed) return;
          const added = page.items.map((item) => this.row(item));
          rows.append(...added);
          next = page.next;
          button.hidden = !next;
          if (!next) added[0]?.querySelector("button")?.focus();  // the button is gone: focus what came
        } catch (error) {
          if (!this.signal.aborted) problem.textContent = error.message;
        } finally {
          button.disabled = false;
        }
      },
    }, "Show older submissions");
    return h("div", { class: "more" }, button, problem);
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

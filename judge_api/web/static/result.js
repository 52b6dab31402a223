// One submission's result as it arrives: a row per finished test, then the
// final verdict in the element with `data-verdict`, and the compiler output.

import { post } from "./api.js";
import { badge, h, mebibytes, points, replace, seconds, table, VERDICTS } from "./dom.js";

const HEADERS = ["Test", "Verdict", { label: "Time", number: true },
  { label: "Memory", number: true }, { label: "Points", number: true }];

// Messages in Markdown become HTML on the server, with the renderer and the
// sanitizer of wordings (POST /web/messages): the messages that arrive
// together go in one request, and each shows as preformatted text if that fails.
class MessageRenderer {
  constructor() {
    this.waiting = [];  // [cell, message]
  }

  render(cell, message) {
    this.waiting.push([cell, message]);
    if (this.waiting.length === 1) queueMicrotask(() => this.flush());
  }

  async flush() {
    const batch = this.waiting;
    this.waiting = [];
    let html = null;
    try {
      html = (await post("/web/messages", { messages: batch.map(([, message]) => message) })).html;
    } catch {
      // shown as text below
    }
    batch.forEach(([cell, message], index) => {
      if (html) cell.innerHTML = html[index];  // sanitized by the server; the CSP forbids inline script
      else replace(cell, h("pre", {}, message));
    });
  }
}

export class ResultPanel {
  // `markdown`: the tests' messages are Markdown (the exercise's checker is
  // the author's code), else plain text.
  constructor(testCount, markdown) {
    this.testCount = testCount;
    this.markdown = markdown ? new MessageRenderer() : null;
    this.element = h("section", { class: "result", "aria-labelledby": "result-title", hidden: true });
  }

  // A fresh panel for `submission` (its id and status), forgetting the last one.
  start(submission) {
    this.done = 0;
    this.rows = h("tbody");
    this.status = h("p", { class: "status", role: "status" });
    this.final = h("div", { "aria-live": "polite" });
    const tests = table("Tests, as each finishes", HEADERS, []);
    tests.querySelector("tbody").replaceWith(this.rows);
    replace(this.element,
      h("h2", { id: "result-title", tabindex: "-1" }, `Submission #${submission.id}`),
      this.status, tests, this.final);
    this.element.hidden = false;
    this.setStatus(submission.status);
  }

  setStatus(status) {
    const progress = this.testCount ? ` ${this.done} of ${this.testCount} tests done.` : "";
    const words = { queued: "Waiting for a judge…", judging: "Judging…", done: "Judged." };
    this.status.textContent = `${words[status] || status}${status === "done" ? "" : progress}`;
  }

  test(result) {
    this.done += 1;
    this.rows.append(h("tr", {},
      h("th", { scope: "row" }, result.name),
      h("td", {}, badge(result.verdict), " ",
        h("span", { class: "verdict-name" }, VERDICTS[result.verdict] || "")),
      h("td", { class: "number" }, seconds(result.time)),
      h("td", { class: "number" }, mebibytes(result.memory)),
      h("td", { class: "number" }, points(result.points))));
    if (result.message) {
      const message = h("td", { colspan: HEADERS.length, class: this.markdown ? "markdown" : null });
      if (this.markdown) this.markdown.render(message, result.message);
      else message.append(h("pre", {}, result.message));
      this.rows.append(h("tr", { class: "message" }, message));
    }
    this.setStatus("judging");
  }

  // The submission as judged: any test not streamed yet, then the verdict.
  finish(submission) {
    for (const result of submission.tests.slice(this.done)) this.test(result);
    this.setStatus(submission.status);
    const verdict = submission.verdict;
    replace(this.final,
      h("p", { class: `verdict v-${verdict}`, "data-verdict": verdict },
        `${verdict}: ${VERDICTS[verdict] || verdict}`,
        submission.max_score ? ` · ${points(submission.score, submission.max_score)} points` : ""),
      submission.compile_output
        ? h("details", { open: true }, h("summary", {}, "Compiler output"),
          h("pre", {}, submission.compile_output))
        : null);
  }

  fail(message) {
    this.status.textContent = message;
  }
}

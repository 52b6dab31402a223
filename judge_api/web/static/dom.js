// Building the page's DOM from data. Text always goes in as text nodes, never
// as HTML: the only HTML the page inserts is what the server rendered from
// Markdown and sanitized (wordings, checkers' messages).

export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  append(element, children);
  return element;
}

export function append(element, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

export function replace(element, ...children) {
  element.replaceChildren();
  return append(element, children);
}

// A view's heading takes the focus, so keyboard and screen-reader users land
// on the new content after following a link.
export function heading(text) {
  return h("h1", { tabindex: "-1" }, text);
}

export const VERDICTS = {
  AC: "Accepted",
  WA: "Wrong answer",
  PA: "Partially accepted",
  TLE: "Time limit exceeded",
  MLE: "Memory limit exceeded",
  OLE: "Output limit exceeded",
  RE: "Runtime error",
  CE: "Compilation error",
  IE: "Internal error: the judge failed, not you",
};

export function badge(verdict) {
  if (!verdict) return h("span", { class: "status" }, "…");
  return h("abbr", { class: `badge v-${verdict}`, title: VERDICTS[verdict] || verdict }, verdict);
}

export function seconds(value) {
  return value === null || value === undefined ? "" : `${value.toFixed(2)} s`;
}

export function mebibytes(bytes) {
  return bytes ? `${(bytes / 1048576).toFixed(1)} MiB` : "";
}

export function points(score, max) {
  if (score === null || score === undefined) return "";
  const round = (x) => Math.round(x * 100) / 100;
  return max === null || max === undefined ? `${round(score)}` : `${round(score)} / ${round(max)}`;
}

export function plural(count, noun) {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

export function when(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso
    : date.toLocaleString([], { dateStyle: "short", timeStyle: "short" });
}

export function table(caption, headers, rows) {
  return h("div", { class: "scroll" },
    h("table", { class: "table" },
      caption ? h("caption", {}, caption) : null,
      h("thead", {}, h("tr", {}, headers.map((name) =>
        h("th", { scope: "col", class: name.number ? "number" : null }, name.label ?? name)))),
      h("tbody", {}, rows)));
}

// Escaping for the XML reporters (JUnit). Everything a spec, a file name or a message can hold ends up as
// well-formed XML 1.0: the five markup characters become entities, and characters XML 1.0 cannot carry at
// all, not even as a character reference (C0 controls other than tab, newline and carriage return, lone
// UTF-16 surrogates, U+FFFE and U+FFFF), are written as the visible text `\uXXXX` instead.

const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function visible(text: string): string {
  return text.replace(FORBIDDEN, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`);
}

/** Text content of an element. */
export function xmlText(text: string): string {
  return visible(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** An attribute value, for a double-quoted attribute: tab, newline and carriage return as character references so they survive attribute-value normalisation. */
export function xmlAttr(text: string): string {
  return xmlText(text).replace(/"/g, "&quot;").replace(/'/g, "&apos;").replace(/\t/g, "&#9;").replace(/\n/g, "&#10;").replace(/\r/g, "&#13;");
}

/** `<name a="…" …>` attributes, in the given order; undefined values are left out. */
export function xmlAttrs(attributes: Record<string, string | number | undefined>): string {
  return Object.entries(attributes)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${xmlAttr(String(v))}"`)
    .join("");
}

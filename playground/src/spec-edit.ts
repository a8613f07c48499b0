// Edits of the spec text the controls make (issue 20: the text is the single source of truth). Each edit
// changes the fewest characters it can on one statement's line (an option's value, a word) and keeps every
// other byte: comments, blank lines, the order and the spacing. Pure, so test/playground checks it in Node.

export const OPTIMISERS = ["sgd", "momentum", "rmsprop", "adam"] as const;
export type Optimiser = (typeof OPTIMISERS)[number];
export const NORMALISATIONS = ["none", "zero-mean", "min-max", "z-score"] as const;

interface Line {
  index: number;
  /** The line without its comment (a `#` outside a string starts one). */
  code: string;
  comment: string;
}

function lines(text: string): string[] {
  return text.split("\n");
}

function split(line: string, index: number): Line {
  const hash = line.indexOf("#");
  return hash < 0 ? { index, code: line, comment: "" } : { index, code: line.slice(0, hash), comment: line.slice(hash) };
}

function firstWord(code: string): string {
  return /^\s*([A-Za-z_][\w-]*)/.exec(code)?.[1] ?? "";
}

function find(all: string[], test: (word: string) => boolean): Line[] {
  return all.map(split).filter((l) => test(firstWord(l.code)));
}

/** `code` with option `name` set to `value` (replaced in place, or appended after the last word). */
function withOption(code: string, name: string, value: string): string {
  const pattern = new RegExp(`(^|\\s)${name}\\s*=\\s*[^\\s;]+`);
  if (pattern.test(code)) return code.replace(pattern, (_all, lead: string) => `${lead}${name}=${value}`);
  const trimmed = code.replace(/\s+$/, "");
  return `${trimmed} ${name}=${value}${code.slice(trimmed.length)}`;
}

function join(all: string[], line: Line, code: string): string {
  const copy = [...all];
  copy[line.index] = code + line.comment;
  return copy.join("\n");
}

/** The optimiser statement's option (lr, epochs, batch), or undefined. */
export function optimiserOption(text: string, name: string): string | undefined {
  const line = find(lines(text), (w) => (OPTIMISERS as readonly string[]).includes(w))[0];
  return line === undefined ? undefined : new RegExp(`(?:^|\\s)${name}\\s*=\\s*([^\\s;]+)`).exec(line.code)?.[1];
}

export function setOptimiserOption(text: string, name: string, value: string): string {
  const all = lines(text);
  const line = find(all, (w) => (OPTIMISERS as readonly string[]).includes(w))[0];
  if (line === undefined) return `${text.replace(/\n?$/, "\n")}sgd ${name}=${value}\n`;
  return join(all, line, withOption(line.code, name, value));
}

export function optimiser(text: string): Optimiser | undefined {
  const line = find(lines(text), (w) => (OPTIMISERS as readonly string[]).includes(w))[0];
  return line === undefined ? undefined : (firstWord(line.code) as Optimiser);
}

/** Swaps the optimiser's word, keeping its options (lr, epochs, batch, …). */
export function setOptimiser(text: string, to: Optimiser): string {
  const all = lines(text);
  const line = find(all, (w) => (OPTIMISERS as readonly string[]).includes(w))[0];
  if (line === undefined) return `${text.replace(/\n?$/, "\n")}${to}\n`;
  return join(all, line, line.code.replace(/^(\s*)[A-Za-z_][\w-]*/, `$1${to}`));
}

export const ACTIVATIONS = ["linear", "sigmoid", "tanh", "relu", "leaky_relu", "softmax"];

/** The hidden layers' activation (the first layer's last word when it is one). */
export function hiddenActivation(text: string): string | undefined {
  const layers = find(lines(text), (w) => w === "layer");
  const words = layers[0]?.code.trim().split(/\s+/) ?? [];
  const last = words[words.length - 1];
  return layers.length > 1 && last !== undefined && ACTIVATIONS.includes(last) ? last : undefined;
}

/** Sets the activation of every layer but the output layer (the last). */
export function setHiddenActivation(text: string, to: string): string {
  let all = lines(text);
  const layers = find(all, (w) => w === "layer").slice(0, -1);
  for (const line of layers) {
    const code = line.code.replace(/(\s)([A-Za-z_]+)(\s*)$/, (whole, space: string, word: string, tail: string) =>
      ACTIVATIONS.includes(word) ? `${space}${to}${tail}` : `${whole.replace(/\s*$/, "")} ${to}${tail}`,
    );
    all = join(all, line, code).split("\n");
  }
  return all.join("\n");
}

/** The hidden size: `let H = N` when the spec has one, else the first layer's output size. */
export function hiddenSize(text: string): number | undefined {
  const let_ = /^\s*let\s+H\s*=\s*(\d+)/m.exec(text);
  if (let_ !== null) return Number(let_[1]);
  const first = find(lines(text), (w) => w === "layer")[0];
  const out = first === undefined ? undefined : /->\s*(\d+)/.exec(first.code)?.[1];
  return out === undefined ? undefined : Number(out);
}

export function setHiddenSize(text: string, size: number): string {
  if (/^\s*let\s+H\s*=\s*\d+/m.test(text)) return text.replace(/^(\s*let\s+H\s*=\s*)\d+/m, `$1${size}`);
  let all = lines(text);
  const [first, second] = find(all, (w) => w === "layer");
  if (first === undefined || second === undefined) return text;
  all = join(all, first, first.code.replace(/->\s*\d+/, `->${size}`)).split("\n");
  return join(all, second, second.code.replace(/\d+(\s*)->/, `${size}$1->`));
}

export function normalisation(text: string): string {
  const line = find(lines(text), (w) => w === "normalize")[0];
  return line?.code.trim().split(/\s+/)[1] ?? "none";
}

/** Sets `normalize KIND` (replacing the statement's word, or adding the statement after `data`). */
export function setNormalisation(text: string, kind: string): string {
  const all = lines(text);
  const line = find(all, (w) => w === "normalize")[0];
  if (line !== undefined) return join(all, line, line.code.replace(/^(\s*normalize\s+)\S+/, `$1${kind}`));
  if (kind === "none") return text;
  const data = find(all, (w) => w === "data")[0];
  const at = data === undefined ? all.length : data.index + 1;
  return [...all.slice(0, at), `normalize ${kind}`, ...all.slice(at)].join("\n");
}
